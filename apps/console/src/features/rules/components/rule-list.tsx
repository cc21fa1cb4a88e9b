import type { RuleItemView, RulesView, RuleView } from '../api/list-rules.ts';

/**
 * The Rule CRs and their items, each with what rule loading made of it: active (archives or alerts),
 * disabled, inert (selected by neither the archiving nor the alerting selector, or below both thresholds)
 * or an error with its reason. All text from the cluster is rendered as text.
 */

const stateLabels: Record<NonNullable<RuleItemView['load']>['state'], string> = {
  active: 'Active',
  disabled: 'Disabled',
  inert: 'Inert',
  error: 'Load error',
};

function whatItDoes(load: NonNullable<RuleItemView['load']>): string {
  if (load.state === 'error' || load.state === 'disabled') return '';
  if (load.alerting) return 'archives and alerts';
  if (load.archiving) return 'archives';
  return 'neither archives nor alerts';
}

/** The item's definition: the condition of a rule, the fragment of a macro, the values of a list, … */
function definition(item: RuleItemView): string {
  if (item.condition !== undefined) return item.condition;
  if (item.macro !== undefined) return item.macro;
  if (item.list !== undefined) return item.list.join(', ');
  if (item.alias !== undefined) return item.alias;
  return '';
}

function ItemRow({ item, onTry }: { item: RuleItemView; onTry: (condition: string) => void }) {
  const { load } = item;
  return (
    <tr data-state={load?.state}>
      <th scope="row">
        <code>{item.name}</code>
        {item.desc ? <div className="muted item-desc">{item.desc}</div> : null}
      </th>
      <td>{item.type ?? ''}</td>
      <td>
        <code className="item-definition">{definition(item)}</code>
        {item.output ? (
          <div className="muted">
            Output: <code>{item.output}</code>
          </div>
        ) : null}
      </td>
      <td>{item.priority ?? ''}</td>
      <td>
        {load ? (
          <>
            <span className={`rule-state rule-state-${load.state}`}>{stateLabels[load.state]}</span>
            {whatItDoes(load) ? <span className="muted"> ({whatItDoes(load)})</span> : null}
            {load.messages.length ? (
              <ul className="load-messages">
                {load.messages.map((message) => (
                  <li key={message} className={load.state === 'error' ? 'bad-text' : 'warning-text'}>
                    {message}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <span className="muted">—</span>
        )}
        {item.checks?.map((check) => (
          <p key={check} className="warning-text item-check">
            {check}
          </p>
        ))}
      </td>
      <td>
        {item.type === 'rule' && item.condition ? (
          <button
            type="button"
            onClick={() => onTry(item.condition ?? '')}
            aria-label={`Try the condition of ${item.name} in the playground`}
          >
            Try
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function RuleCard({
  rule,
  onEdit,
  onTest,
  onTry,
  editDisabledReason,
}: {
  rule: RuleView;
  onEdit: (rule: RuleView) => void;
  onTest: (rule: RuleView) => void;
  onTry: (condition: string, rule: RuleView) => void;
  editDisabledReason: string | undefined;
}) {
  const title = rule.namespace ? `${rule.namespace}/${rule.name}` : rule.name;
  const errors = rule.items.filter((item) => item.load?.state === 'error').length;
  const headingId = `rule-${rule.namespace ?? ''}-${rule.name}`;
  return (
    <section className="rule-card" aria-labelledby={headingId}>
      <header className="rule-card-header">
        <h3 id={headingId}>
          Rule <code>{title}</code>
        </h3>
        <span className="rule-labels">
          {Object.entries(rule.labels).map(([key, value]) => (
            <code key={key} className="label-chip">
              {key}={value}
            </code>
          ))}
        </span>
        <span className={errors ? 'bad-text' : 'muted'}>
          {rule.items.length} item{rule.items.length === 1 ? '' : 's'}
          {errors ? `, ${errors} with a load error` : ''}
        </span>
        <button type="button" onClick={() => onTest(rule)} disabled={!rule.namespace}>
          Test on recent events<span className="visually-hidden"> ({title})</span>
        </button>
        <button
          type="button"
          onClick={() => onEdit(rule)}
          disabled={editDisabledReason !== undefined || !rule.namespace}
          aria-describedby={editDisabledReason ? 'rules-read-only' : undefined}
        >
          Edit YAML<span className="visually-hidden"> of {title}</span>
        </button>
      </header>
      {!rule.loaded ? (
        <p className="muted" role="status">
          Not loaded yet: the receiver picks up a new or changed Rule within a second or so.
        </p>
      ) : null}
      {rule.problems.map((problem) => (
        <p key={problem} className="warning-text">
          {problem}
        </p>
      ))}
      <table className="rule-items">
        <caption className="visually-hidden">Items of Rule {title}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Type</th>
            <th scope="col">Definition</th>
            <th scope="col">Priority</th>
            <th scope="col">Load status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rule.items.map((item) => (
            <ItemRow key={item.name} item={item} onTry={(condition) => onTry(condition, rule)} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function RuleList({
  view,
  onEdit,
  onTest,
  onTry,
  editDisabledReason,
}: {
  view: RulesView;
  onEdit: (rule: RuleView) => void;
  onTest: (rule: RuleView) => void;
  onTry: (condition: string, rule: RuleView) => void;
  editDisabledReason: string | undefined;
}) {
  const { load } = view;
  return (
    <div className="rule-list">
      <p className="muted">
        {load.origin === 'receiver'
          ? 'Load status as the receiver applies it'
          : 'Load status computed from the Rules and the Webhook you may read (the receiver does not run here)'}
        : archiving priority {load.settings.archivingPriority}, alerting priority {load.settings.alertingPriority}.
        {load.note ? ` ${load.note}.` : ''}
      </p>
      {editDisabledReason ? (
        <p className="disabled-reason" id="rules-read-only">
          Read only: {editDisabledReason}
        </p>
      ) : null}
      {load.problems.map((problem) => (
        <p key={problem} className="warning-text">
          {problem}
        </p>
      ))}
      {view.rules.length === 0 ? <p>There are no Rule CRs you may read.</p> : null}
      {view.rules.map((rule) => (
        <RuleCard
          key={`${rule.namespace ?? ''}/${rule.name}`}
          rule={rule}
          onEdit={onEdit}
          onTest={onTest}
          onTry={onTry}
          editDisabledReason={editDisabledReason}
        />
      ))}
    </div>
  );
}
