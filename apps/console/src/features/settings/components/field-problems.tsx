import type { WebhookProblem } from '@auditorium/audit-model';

/** The checks' problems whose field is `field` or lies inside it (`spec.receivers[0]` holds `spec.receivers[0].config`). */
export function problemsAt(problems: readonly WebhookProblem[], field: string): WebhookProblem[] {
  return problems.filter(
    (problem) =>
      problem.field !== undefined &&
      (problem.field === field || problem.field.startsWith(`${field}.`) || problem.field.startsWith(`${field}[`)),
  );
}

export interface ShownProblem {
  key: string;
  severity: WebhookProblem['severity'];
  field: string | undefined;
  message: string;
}

/**
 * Problems as sentences to show: the rules that cannot fire at the chosen level become one sentence (there
 * are three of them with KubeSphere's shipped rules), every other problem stays as the check said it.
 */
export function shownProblems(problems: readonly WebhookProblem[]): ShownProblem[] {
  const silent = problems.filter((problem) => problem.code === 'rule-never-fires-at-level');
  const shown: ShownProblem[] = problems
    .filter((problem) => problem.code !== 'rule-never-fires-at-level')
    .map((problem) => ({
      key: `${problem.code}:${problem.field ?? ''}:${problem.message}`,
      severity: problem.severity,
      field: problem.field,
      message: problem.message,
    }));
  if (silent.length > 0) {
    const names = silent.map((problem) => (problem.rule ? `${problem.rule.name}/${problem.rule.item}` : '?'));
    shown.push({
      key: 'rule-never-fires-at-level',
      severity: 'warning',
      field: 'spec.auditLevel',
      message: `${silent.length} enabled rule${silent.length === 1 ? '' : 's'} can never fire for KubeSphere events at this level, because ${
        silent.length === 1 ? 'it reads' : 'they read'
      } the request or response body: ${names.join(', ')}. Choose Request (or RequestResponse for ResponseObject), or change the rules.`,
    });
  }
  return shown;
}

/** What the misconfiguration checks found at one field of the draft, shown beside it while the user edits. */
export function FieldProblems({
  problems,
  field,
  id,
}: {
  problems: readonly WebhookProblem[];
  field: string;
  id?: string;
}) {
  const here = shownProblems(problemsAt(problems, field));
  if (here.length === 0) return null;
  return (
    <div id={id} className="field-problems" data-field={field} tabIndex={-1}>
      {here.map((problem) => (
        <p key={problem.key} data-severity={problem.severity}>
          <span className="problem-severity">{problem.severity}</span> {problem.message}
        </p>
      ))}
    </div>
  );
}
