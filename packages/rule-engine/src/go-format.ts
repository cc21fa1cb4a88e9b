/**
 * Go's value formatting and parsing as KubeSphere's event-rule-engine uses them. Every comparison in the
 * condition language works on `fmt.Sprint(value)` of a value decoded by Go's `encoding/json` into
 * `interface{}`, then on `strconv.ParseFloat` / `strconv.ParseBool` of that text. Reproducing those three
 * functions is what makes `ResponseStatus.code = "200"` or `RequestObject.spec.replicas > 1000000` behave
 * as they do in KubeSphere (JSON numbers are float64, so 1500000 prints as `1.5e+06`).
 */

/** `fmt.Sprint` of a value decoded from JSON (float64, string, bool, nil, []interface{}, map[string]interface{}). */
export function goSprint(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatGoFloat(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
      return '<nil>';
    case 'object':
      if (value === null) return '<nil>';
      if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
      return formatGoMap(value as Record<string, unknown>);
    default:
      return String(value);
  }
}

// Go prints maps with their keys sorted (since Go 1.12), so the output is deterministic.
function formatGoMap(map: Record<string, unknown>): string {
  const keys = Object.keys(map).sort(compareGoStrings);
  return `map[${keys.map((key) => `${key}:${goSprint(map[key])}`).join(' ')}]`;
}

/**
 * `strconv.FormatFloat(v, 'g', -1, 64)`, which is what `%v` prints for a float64: the shortest digits that
 * round-trip, in exponent form when the decimal exponent is < -4 or >= 6. (Go switches at 6 for the
 * shortest form, not at 21 like JavaScript: `fmt.Sprint(1e6)` is `1e+06`.)
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const magnitude = Math.abs(value);
  // JavaScript already prints the shortest round-trip digits in plain notation inside this range.
  if (magnitude >= 1e-4 && magnitude < 1e6) return String(value);
  // toExponential() without an argument also gives the shortest round-trip digits, like Go's Ryu.
  const [mantissa = '', exponentText = '0'] = magnitude.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
}

const decimalFloat = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const hexFloat = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/;
const infinity = /^([+-]?)(?:inf|infinity)$/i;

/**
 * `strconv.ParseFloat(text, 64)`; `undefined` where Go returns an error (bad syntax, or a finite literal
 * beyond float64's range). Go's digit-separator underscores are not accepted (they are only legal after a
 * base prefix, which audit payloads never carry).
 */
export function parseGoFloat(text: string): number | undefined {
  if (decimalFloat.test(text)) return finiteOrUndefined(Number(text));
  if (hexFloat.test(text)) return finiteOrUndefined(parseHexFloat(text));
  const inf = infinity.exec(text);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (text.length === 3 && text.toLowerCase() === 'nan') return Number.NaN;
  return undefined;
}

function finiteOrUndefined(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

function parseHexFloat(text: string): number {
  const negative = text.startsWith('-');
  const body = text.replace(/^[+-]?0[xX]/, '');
  const [mantissa = '', exponent = '0'] = body.split(/[pP]/);
  const [whole = '', fraction = ''] = mantissa.split('.');
  let value = whole === '' ? 0 : Number.parseInt(whole, 16);
  for (let i = 0; i < fraction.length; i++) value += Number.parseInt(fraction[i] ?? '0', 16) / 16 ** (i + 1);
  value *= 2 ** Number(exponent);
  return negative ? -value : value;
}

const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `strconv.ParseBool(text)`; `undefined` where Go returns an error. */
export function parseGoBool(text: string): boolean | undefined {
  if (goTrue.has(text)) return true;
  if (goFalse.has(text)) return false;
  return undefined;
}

/**
 * Go compares strings byte-wise in UTF-8, which orders by code point. JavaScript's `<` compares UTF-16 code
 * units, which differs only where a surrogate pair meets a character in U+E000..U+FFFF; this corrects that.
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrder(x) - codePointOrder(y);
  }
  return a.length - b.length;
}

// Moves surrogates (D800..DFFF) above the rest of the BMP, as their code points (>= U+10000) are.
function codePointOrder(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
