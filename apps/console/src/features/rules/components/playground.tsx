import type { ReactNode } from 'react';
import { StatusMessage } from '../../../lib/status-message.tsx';
import type { PlaygroundResponse } from '../api/test-rules.ts';
import { sampleSizes } from '../playground-request.ts';
import { MatchesTable } from './matches-table.tsx';

type SyntaxProblem = PlaygroundResponse['syntaxErrors'][number];

/** The line of the condition the problem is on, and a caret under the column, as plain text. */
function problemPointer(condition: string, problem: SyntaxProblem): string | undefined {
  const position = problem.position;
  if (!position) return undefined;
  const line = condition.split('\n')[position.line - 1] ?? '';
  return `${line}\n${' '.repeat(Math.max(0, position.column - 1))}^`;
}

function summary(result: PlaygroundResponse): string {
  if (result.syntaxErrors.length > 0) {
    const [first] = result.syntaxErrors;
    const where = first?.position ? ` at line ${first.position.line}, column ${first.position.column}` : '';
    return `Syntax error${where}: ${first?.reason ?? ''}`;
  }
  if (result.loadErrors.length > 0) return `The condition cannot be loaded: ${result.loadErrors[0]?.reason ?? ''}`;
  const origin = result.events.origin === 'archive' ? 'recent archived events' : 'given events';
  return `${result.matchedCount} of ${result.events.count} ${origin} match.`;
}

/**
 * Type a condition, see which of the latest archived events it matches. The parent debounces the text and
 * asks the BFF; this shows the answer for the text it was computed from, and keeps the previous answer up
 * while the next one is on its way.
 */
export function Playground({
  condition,
  onConditionChange,
  sampleSize,
  onSampleSizeChange,
  contextName,
  onClearContext,
  result,
  testedCondition,
  pending,
  error,
  children,
}: {
  condition: string;
  onConditionChange: (condition: string) => void;
  sampleSize: number;
  onSampleSizeChange: (size: number) => void;
  /** The Rule CR whose macros, lists and aliases bare `${name}` references resolve against. */
  contextName: string | undefined;
  onClearContext: () => void;
  result: PlaygroundResponse | undefined;
  /** The condition `result` was computed for. */
  testedCondition: string | undefined;
  pending: boolean;
  error: unknown;
  /** Shown under the results: what to do with the condition once it matches what it should. */
  children?: ReactNode;
}) {
  const matched = result?.results.filter((entry) => entry.matched) ?? [];
  const evaluationErrors = result?.results.flatMap((entry) => entry.errors) ?? [];
  const firstEvaluationError = evaluationErrors[0];
  return (
    <section className="playground" aria-labelledby="playground-title">
      <h2 id="playground-title">Playground</h2>
      <p className="muted">
        A condition in KubeSphere's rule language, e.g. <code>Verb = "delete" and ObjectRef.Resource = "pods"</code>. It
        is tried against the latest archived events you may see as you type.
      </p>
      <div className="playground-inputs">
        <label className="playground-condition">
          Condition
          <textarea
            value={condition}
            onChange={(event) => onConditionChange(event.target.value)}
            rows={3}
            spellCheck={false}
            aria-describedby="playground-summary"
          />
        </label>
        <label>
          Recent events to test
          <select value={sampleSize} onChange={(event) => onSampleSizeChange(Number(event.target.value))}>
            {sampleSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </div>
      {contextName ? (
        <p className="muted">
          {/* biome-ignore lint/suspicious/noTemplateCurlyInString: KubeSphere's reference syntax, shown as text */}
          Bare <code>{'${name}'}</code> references resolve against the macros, lists and aliases of Rule{' '}
          <code>{contextName}</code>.{' '}
          <button type="button" onClick={onClearContext}>
            Stop using {contextName}
          </button>
        </p>
      ) : null}

      <div id="playground-summary" aria-live="polite" className="playground-summary">
        {condition.trim() === '' ? (
          <p className="muted">Type a condition to see which events match.</p>
        ) : result ? (
          <p className={result.syntaxErrors.length || result.loadErrors.length ? 'bad-text' : undefined}>
            {summary(result)}
            {pending || testedCondition !== condition ? <span className="muted"> (updating…)</span> : null}
          </p>
        ) : (
          <p className="muted">Testing…</p>
        )}
      </div>
      {error ? <StatusMessage error={error} /> : null}
      {result && testedCondition !== undefined
        ? result.syntaxErrors.map((problem) => {
            const pointer = problemPointer(testedCondition, problem);
            return pointer ? (
              <pre key={`${problem.reason}-${problem.position?.offset}`} className="syntax-pointer">
                {pointer}
              </pre>
            ) : null;
          })
        : null}
      {firstEvaluationError ? (
        <p className="warning-text">
          {evaluationErrors.length} event{evaluationErrors.length === 1 ? '' : 's'} could not be evaluated and count as
          no match: {firstEvaluationError.message}
        </p>
      ) : null}
      {result?.warnings.map((warning) => (
        <p key={warning.reason} className="warning-text">
          {warning.reason}
        </p>
      ))}
      {matched.length > 0 ? <MatchesTable results={matched} /> : null}
      {children}
    </section>
  );
}
