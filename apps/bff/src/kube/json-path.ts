/**
 * The JSONPath subset CRD printer columns use (`additionalPrinterColumns[].jsonPath`): `.a.b`, `.a[0]`,
 * `.a[-1]`, `.a[*].b`, `['key.with.dots']`, and equality filters such as
 * `.status.conditions[?(@.type=="Ready")].status`. Optional surrounding `{…}` as kubectl templates write
 * it. Anything else is reported as unsupported rather than guessed at.
 */
type Step =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: string | number | boolean };

export class UnsupportedJsonPath extends Error {}

function parseLiteral(text: string): string | number | boolean {
  const trimmed = text.trim();
  const quoted = trimmed.match(/^(['"])(.*)\1$/);
  if (quoted) return quoted[2]!;
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  const number = Number(trimmed);
  if (trimmed !== '' && Number.isFinite(number)) return number;
  throw new UnsupportedJsonPath(`unsupported filter value ${text}`);
}

export function parseJsonPath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let position = 0;
  while (position < text.length) {
    const rest = text.slice(position);
    const key = rest.match(/^\.([A-Za-z0-9_$-]+)/);
    if (key) {
      steps.push({ kind: 'key', key: key[1]! });
      position += key[0].length;
      continue;
    }
    const bracketKey = rest.match(/^\[\s*(['"])(.*?)\1\s*\]/);
    if (bracketKey) {
      steps.push({ kind: 'key', key: bracketKey[2]! });
      position += bracketKey[0].length;
      continue;
    }
    const index = rest.match(/^\[\s*(-?\d+)\s*\]/);
    if (index) {
      steps.push({ kind: 'index', index: Number(index[1]) });
      position += index[0].length;
      continue;
    }
    const all = rest.match(/^(\[\s*\*\s*\]|\.\*)/);
    if (all) {
      steps.push({ kind: 'all' });
      position += all[0].length;
      continue;
    }
    const filter = rest.match(/^\[\s*\?\(\s*@((?:\.[A-Za-z0-9_$-]+)+)\s*==\s*([^)]+?)\s*\)\s*\]/);
    if (filter) {
      steps.push({ kind: 'filter', path: filter[1]!.slice(1).split('.'), value: parseLiteral(filter[2]!) });
      position += filter[0].length;
      continue;
    }
    throw new UnsupportedJsonPath(`unsupported JSONPath "${expression}" at "${rest}"`);
  }
  return steps;
}

function child(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Every value the path selects, in document order; an empty array when it selects nothing. */
export function evaluateJsonPath(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'key') {
        const found = child(value, step.key);
        if (found !== undefined) next.push(found);
      } else if (step.kind === 'index') {
        if (Array.isArray(value)) {
          const found = value.at(step.index);
          if (found !== undefined) next.push(found);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(value)) next.push(...value);
        else if (value !== null && typeof value === 'object') next.push(...Object.values(value));
      } else if (Array.isArray(value)) {
        for (const element of value) {
          const compared = step.path.reduce<unknown>((node, key) => child(node, key), element);
          if (compared === step.value) next.push(element);
        }
      }
    }
    current = next;
  }
  return current;
}
