/**
 * JSON parsing for intake that says WHERE a body is broken. V8's `JSON.parse` reports a position for some
 * errors and not for others ("Unexpected token '}', … is not valid JSON"), so when it fails this module
 * re-scans the text with a small strict scanner to find the first bad character and its line and column.
 * The scanner only runs on the error path; valid bodies cost one `JSON.parse`.
 */
export class JsonSyntaxError extends Error {
  /** Character offset of the problem in the decoded text. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  constructor(detail: string, offset: number, line: number, column: number) {
    super(`invalid JSON at line ${line} column ${column} (offset ${offset}): ${detail}`);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const problem = locate(text, (error as Error).message);
    const { line, column } = lineAndColumn(text, problem.offset);
    throw new JsonSyntaxError(problem.detail, problem.offset, line, column);
  }
}

/**
 * Where V8 already says (`… in JSON at position 12 (line 1 column 13)`, or an unexpected end, which is the
 * end of the text), that is used as is; the scan, a second pass over a body of up to 32 MiB, runs only
 * for the messages without a position.
 */
function locate(text: string, v8Message: string): Problem {
  const position = /^(.*) in JSON at position (\d+)/.exec(v8Message);
  if (position) {
    const offset = Number(position[2]);
    const found = text[offset];
    const what = found === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(found)}`;
    return { offset, detail: `${what}: ${position[1]!.toLowerCase()}` };
  }
  if (v8Message.startsWith('Unexpected end of JSON input')) {
    return { offset: text.length, detail: 'unexpected end of input' };
  }
  return findJsonSyntaxError(text) ?? { offset: 0, detail: v8Message };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

interface Problem {
  offset: number;
  detail: string;
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const escapes = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const hex4 = /^[0-9a-fA-F]{4}$/;

/**
 * The first syntax error in `text` by RFC 8259, or undefined when the text is valid JSON. Iterative with
 * an explicit stack, so a body nested a million levels deep cannot overflow the call stack.
 */
export function findJsonSyntaxError(text: string): Problem | undefined {
  const containers: Array<'object' | 'array'> = [];
  const length = text.length;
  let at = 0;

  const skipSpace = () => {
    while (at < length) {
      const code = text.charCodeAt(at);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
      at += 1;
    }
  };
  const unexpected = (expected: string): Problem => ({
    offset: at,
    detail: `${at >= length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[at])}`}, expected ${expected}`,
  });
  const readString = (): Problem | undefined => {
    at += 1;
    while (at < length) {
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        at += 1;
        return undefined;
      }
      if (code === 0x5c) {
        const escaped = text[at + 1];
        if (escaped === 'u' && hex4.test(text.slice(at + 2, at + 6))) at += 6;
        else if (escaped !== undefined && escaped !== 'u' && escapes.has(escaped)) at += 2;
        else return { offset: at, detail: 'invalid escape sequence in string' };
        continue;
      }
      if (code < 0x20) return { offset: at, detail: 'unescaped control character in string' };
      at += 1;
    }
    return { offset: at, detail: 'unexpected end of input inside a string' };
  };
  const propertyName = (): Problem | undefined => {
    skipSpace();
    if (text[at] !== '"') return unexpected('a double-quoted property name');
    const problem = readString();
    if (problem) return problem;
    skipSpace();
    if (text[at] !== ':') return unexpected("':' after the property name");
    at += 1;
    return undefined;
  };

  let expectValue = true;
  for (;;) {
    skipSpace();
    if (expectValue) {
      const char = text[at];
      if (char === '{' || char === '[') {
        at += 1;
        skipSpace();
        if (text[at] === (char === '{' ? '}' : ']')) {
          at += 1;
          expectValue = false;
          continue;
        }
        containers.push(char === '{' ? 'object' : 'array');
        if (char === '{') {
          const problem = propertyName();
          if (problem) return problem;
        }
        continue;
      }
      if (char === '"') {
        const problem = readString();
        if (problem) return problem;
      } else if (text.startsWith('true', at) || text.startsWith('null', at)) {
        at += 4;
      } else if (text.startsWith('false', at)) {
        at += 5;
      } else {
        numberPattern.lastIndex = at;
        const number = numberPattern.exec(text);
        if (!number) return unexpected('a JSON value');
        at += number[0].length;
      }
      expectValue = false;
      continue;
    }
    const container = containers.at(-1);
    if (!container) return at < length ? unexpected('the end of the body') : undefined;
    const close = container === 'object' ? '}' : ']';
    if (text[at] === ',') {
      at += 1;
      if (container === 'object') {
        const problem = propertyName();
        if (problem) return problem;
      }
      expectValue = true;
    } else if (text[at] === close) {
      at += 1;
      containers.pop();
    } else {
      return unexpected(`',' or '${close}'`);
    }
  }
}
