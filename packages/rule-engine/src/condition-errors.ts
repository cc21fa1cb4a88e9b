/**
 * The two ways a condition fails. A syntax error is found once, when the condition is compiled, and
 * carries the position so an editor can underline it. An evaluation error happens per event (a field
 * compared with a number is not numeric, a path that must be an array is not) and, as in KubeSphere,
 * makes that rule not match that event.
 */

export interface SourcePosition {
  /** 0-based offset into the condition text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export class ConditionSyntaxError extends Error {
  override name = 'ConditionSyntaxError';
  readonly source: string;
  readonly position: SourcePosition;
  /** The message without the position prefix, e.g. "expected a string or number after '>', found 'and'". */
  readonly reason: string;

  constructor(source: string, offset: number, reason: string) {
    const position = positionAt(source, offset);
    super(`${reason} (at ${position.line}:${position.column})`);
    this.source = source;
    this.position = position;
    this.reason = reason;
  }
}

export class ConditionEvaluationError extends Error {
  override name = 'ConditionEvaluationError';
}

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
