/**
 * Go `regexp` (RE2 syntax) patterns, translated to JavaScript `RegExp`s that match the same strings.
 *
 * `regex` and `like` conditions were written for Go, so the pattern text must mean what it meant there:
 * `.` does not match `\n` (but does match `\r`), `\s` is ASCII whitespace only, `$` is the end of the text,
 * `(?i)` can appear mid-pattern, `\Q…\E` quotes, `[[:alpha:]]` is a POSIX class, `\pL` a Unicode class, and
 * a `{` that does not start a repetition is a literal. Patterns Go rejects (lookaround, backreferences, bad
 * escapes) are rejected here too, so a rule valid here is valid in KubeSphere and vice versa. The result
 * always uses the `u` flag (Go matches code points, not UTF-16 units).
 *
 * Not translated: `\S` inside a character class keeps JavaScript's Unicode meaning, and negated POSIX
 * classes (`[[:^alpha:]]`) are refused. Unlike RE2, JavaScript backtracks, so a pathological pattern can be
 * slow; rule patterns are written by cluster administrators, not by the events being matched.
 */

export class GoRegexpError extends Error {
  override name = 'GoRegexpError';
}

interface Flags {
  caseInsensitive: boolean;
  multiLine: boolean;
  dotAll: boolean;
  ungreedy: boolean;
}

interface Group {
  /** Flags in force at this point of the group (inline `(?i)` changes them until the group closes). */
  flags: Flags;
  /** Inline `(?i)`-style changes turned into `(?i:` wrappers, closed at `|` and at the group's end. */
  openWrappers: string[];
}

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\x0b\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const generalCategories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

const goSpace = '\\t\\n\\f\\r ';

/** Compiles a Go regexp pattern; throws `GoRegexpError` when Go would reject it. */
export function compileGoRegexp(pattern: string): RegExp {
  const source = translateGoRegexp(pattern);
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    throw new GoRegexpError(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

/**
 * KubeSphere's `like`: `?` becomes `.` and each run of `*` becomes `(.*)`; everything else stays regexp
 * syntax, and the match is unanchored (`like "ks*"` matches `"aks"`). Kept as is for compatibility.
 */
export function globToGoRegexp(glob: string): string {
  return glob.replaceAll('?', '.').replace(/\*+/g, '(.*)');
}

export function translateGoRegexp(pattern: string): string {
  return new Translator(pattern).run();
}

class Translator {
  readonly #pattern: string;
  #pos = 0;
  #out = '';
  readonly #groups: Group[] = [
    { flags: { caseInsensitive: false, multiLine: false, dotAll: false, ungreedy: false }, openWrappers: [] },
  ];

  constructor(pattern: string) {
    this.#pattern = pattern;
  }

  run(): string {
    const p = this.#pattern;
    while (this.#pos < p.length) {
      const c = p[this.#pos] as string;
      switch (c) {
        case '\\':
          this.#out += this.#escape(false);
          break;
        case '[':
          this.#out += this.#characterClass();
          break;
        case '(':
          this.#openGroup();
          break;
        case ')':
          this.#closeGroup();
          break;
        case '|':
          this.#alternation();
          break;
        case '.':
          this.#pos++;
          this.#out += this.#flags.dotAll ? '[\\s\\S]' : '[^\\n]';
          break;
        case '^':
          this.#pos++;
          this.#out += this.#flags.multiLine ? '(?:^|(?<=\\n))' : '^';
          break;
        case '$':
          this.#pos++;
          this.#out += this.#flags.multiLine ? '(?=\\n|$)' : '$';
          break;
        case '*':
        case '+':
        case '?':
          this.#pos++;
          this.#out += c + this.#lazySuffix();
          break;
        case '{':
          this.#brace();
          break;
        case '}':
        case ']':
          this.#pos++;
          this.#out += `\\${c}`;
          break;
        default: {
          const codePoint = p.codePointAt(this.#pos) as number;
          const char = String.fromCodePoint(codePoint);
          this.#pos += char.length;
          this.#out += char;
        }
      }
    }
    if (this.#groups.length > 1) this.#fail('missing closing )');
    this.#out += this.#closeWrappers(this.#top);
    return this.#out;
  }

  get #top(): Group {
    return this.#groups[this.#groups.length - 1] as Group;
  }

  get #flags(): Flags {
    return this.#top.flags;
  }

  #fail(reason: string): never {
    throw new GoRegexpError(`invalid regular expression ${JSON.stringify(this.#pattern)}: ${reason}`);
  }

  // A trailing `?` makes a repetition lazy; Go's `U` flag swaps the meaning of that marker.
  #lazySuffix(): string {
    const explicitLazy = this.#pattern[this.#pos] === '?';
    if (explicitLazy) this.#pos++;
    return explicitLazy !== this.#flags.ungreedy ? '?' : '';
  }

  #brace(): void {
    const repeat = /\{(\d+)(?:(,)(\d*))?\}/y;
    repeat.lastIndex = this.#pos;
    const match = repeat.exec(this.#pattern);
    if (!match) {
      // Go treats a `{` that does not start a well-formed repetition as a literal brace.
      this.#pos++;
      this.#out += '\\{';
      return;
    }
    const min = Number(match[1]);
    const max = match[3] === undefined || match[3] === '' ? undefined : Number(match[3]);
    if (min > 1000 || (max !== undefined && (max > 1000 || max < min))) this.#fail(`invalid repeat count ${match[0]}`);
    this.#pos += match[0].length;
    this.#out += match[0] + this.#lazySuffix();
  }

  #openGroup(): void {
    const p = this.#pattern;
    const parent = this.#flags;
    if (p[this.#pos + 1] !== '?') {
      this.#pos++;
      this.#groups.push({ flags: { ...parent }, openWrappers: [] });
      this.#out += '(';
      return;
    }
    const rest = p.slice(this.#pos + 2);
    const named = /^P?<([A-Za-z0-9_]+)>/.exec(rest);
    if (named) {
      // Names only matter for extraction; a plain capturing group matches the same strings.
      this.#pos += 2 + named[0].length;
      this.#groups.push({ flags: { ...parent }, openWrappers: [] });
      this.#out += '(';
      return;
    }
    if (/^(?:=|!|<=|<!)/.test(rest)) this.#fail('lookaround is not supported by Go regexp (RE2)');
    const flagGroup = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
    if (!flagGroup || (flagGroup[1] === '' && flagGroup[2] === undefined && flagGroup[3] === ')')) {
      this.#fail(`invalid or unsupported group syntax at offset ${this.#pos}`);
    }
    this.#pos += 2 + flagGroup[0].length;
    const flags = applyFlags(parent, flagGroup[1] ?? '', flagGroup[2] ?? '');
    const caseChange = caseModifier(parent, flags);
    if (flagGroup[3] === ':') {
      this.#groups.push({ flags, openWrappers: [] });
      this.#out += caseChange === '' ? '(?:' : `(${caseChange}:`;
      return;
    }
    // `(?i)` changes the flags until the end of the enclosing group, across `|` too.
    this.#top.flags = flags;
    if (caseChange !== '') {
      const wrapper = `(${caseChange}:`;
      this.#top.openWrappers.push(wrapper);
      this.#out += wrapper;
    }
  }

  #closeGroup(): void {
    if (this.#groups.length === 1) this.#fail(`unexpected ) at offset ${this.#pos}`);
    this.#pos++;
    const group = this.#groups.pop() as Group;
    this.#out += `${this.#closeWrappers(group)})`;
  }

  #alternation(): void {
    this.#pos++;
    const group = this.#top;
    this.#out += `${this.#closeWrappers(group)}|${group.openWrappers.join('')}`;
  }

  #closeWrappers(group: Group): string {
    return ')'.repeat(group.openWrappers.length);
  }

  #escape(inClass: boolean): string {
    const p = this.#pattern;
    const next = p[this.#pos + 1];
    if (next === undefined) this.#fail('trailing backslash at end of expression');
    this.#pos += 2;
    switch (next) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 't':
      case 'n':
      case 'r':
      case 'f':
      case 'v':
        return `\\${next}`;
      case 'a':
        return '\\x07';
      case 's':
        return inClass ? goSpace : `[${goSpace}]`;
      case 'S':
        return inClass ? '\\S' : `[^${goSpace}]`;
      case 'b':
      case 'B':
        if (inClass) this.#fail(`invalid escape \\${next} in character class`);
        return `\\${next}`;
      case 'A':
        if (inClass) this.#fail('invalid escape \\A in character class');
        return '(?<![\\s\\S])';
      case 'z':
        if (inClass) this.#fail('invalid escape \\z in character class');
        return '(?![\\s\\S])';
      case 'Q':
        if (inClass) this.#fail('invalid escape \\Q in character class');
        return this.#quoted();
      case 'p':
      case 'P':
        return this.#unicodeClass(next === 'P');
      case 'x':
        return this.#hexEscape();
      default:
        break;
    }
    if (next >= '0' && next <= '7') return this.#octalEscape(next);
    const code = next.charCodeAt(0);
    if (code < 0x80 && !/[0-9A-Za-z]/.test(next)) return `\\x${code.toString(16).padStart(2, '0')}`;
    return this.#fail(`invalid escape sequence \\${next}`);
  }

  #quoted(): string {
    const p = this.#pattern;
    const end = p.indexOf('\\E', this.#pos);
    const literal = end === -1 ? p.slice(this.#pos) : p.slice(this.#pos, end);
    this.#pos = end === -1 ? p.length : end + 2;
    return literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }

  #unicodeClass(negated: boolean): string {
    const p = this.#pattern;
    let name: string;
    if (p[this.#pos] === '{') {
      const end = p.indexOf('}', this.#pos);
      if (end === -1) this.#fail('missing } in Unicode class');
      name = p.slice(this.#pos + 1, end);
      this.#pos = end + 1;
    } else {
      name = p[this.#pos] ?? '';
      this.#pos++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) this.#fail(`invalid Unicode class name ${JSON.stringify(name)}`);
    const property = generalCategories.has(name) || name === 'Any' ? name : `Script=${name}`;
    return `\\${negated ? 'P' : 'p'}{${property}}`;
  }

  #hexEscape(): string {
    const p = this.#pattern;
    if (p[this.#pos] === '{') {
      const match = /\{([0-9A-Fa-f]{1,6})\}/y;
      match.lastIndex = this.#pos;
      const hex = match.exec(p);
      if (!hex || Number.parseInt(hex[1] as string, 16) > 0x10ffff) this.#fail('invalid \\x{…} escape');
      this.#pos += hex[0].length;
      return `\\u{${hex[1]}}`;
    }
    const hex = p.slice(this.#pos, this.#pos + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.#fail('invalid \\x escape');
    this.#pos += 2;
    return `\\x${hex}`;
  }

  // Go reads `\0`, `\12`, `\123` as octal; a lone `\1`..`\7` would be a backreference, which RE2 lacks.
  #octalEscape(first: string): string {
    const p = this.#pattern;
    let digits = first;
    while (digits.length < 3 && /[0-7]/.test(p[this.#pos] ?? '')) {
      digits += p[this.#pos];
      this.#pos++;
    }
    if (first !== '0' && digits.length === 1) this.#fail(`backreferences (\\${first}) are not supported by Go regexp`);
    return `\\u{${Number.parseInt(digits, 8).toString(16)}}`;
  }

  #characterClass(): string {
    const p = this.#pattern;
    const start = this.#pos;
    this.#pos++;
    let out = '[';
    if (p[this.#pos] === '^') {
      out += '^';
      this.#pos++;
    }
    // A `]` right after `[` or `[^` is a literal in Go.
    if (p[this.#pos] === ']') {
      out += '\\]';
      this.#pos++;
    }
    while (this.#pos < p.length) {
      const c = p[this.#pos] as string;
      if (c === ']') {
        this.#pos++;
        return `${out}]`;
      }
      if (c === '\\') {
        out += this.#escape(true);
        continue;
      }
      if (c === '[') {
        const posix = /\[:(\^?)([a-z]+):\]/y;
        posix.lastIndex = this.#pos;
        const match = posix.exec(p);
        if (match) {
          const ranges = posixClasses[match[2] as string];
          if (ranges === undefined) this.#fail(`invalid POSIX class [:${match[2]}:]`);
          if (match[1] === '^') this.#fail(`negated POSIX class [:^${match[2]}:] is not supported`);
          out += ranges;
          this.#pos += match[0].length;
          continue;
        }
        out += '\\[';
        this.#pos++;
        continue;
      }
      const char = String.fromCodePoint(p.codePointAt(this.#pos) as number);
      this.#pos += char.length;
      out += char;
    }
    return this.#fail(`missing closing ] for character class at offset ${start}`);
  }
}

function applyFlags(parent: Flags, set: string, clear: string): Flags {
  const flags = { ...parent };
  for (const [letters, value] of [
    [set, true],
    [clear, false],
  ] as const) {
    if (letters.includes('i')) flags.caseInsensitive = value;
    if (letters.includes('m')) flags.multiLine = value;
    if (letters.includes('s')) flags.dotAll = value;
    if (letters.includes('U')) flags.ungreedy = value;
  }
  return flags;
}

// Only case-insensitivity is left to JavaScript (as a modifier group); `m`, `s` and `U` are translated.
function caseModifier(parent: Flags, flags: Flags): string {
  if (parent.caseInsensitive === flags.caseInsensitive) return '';
  return flags.caseInsensitive ? '?i' : '?-i';
}
