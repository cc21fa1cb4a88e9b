import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCapability } from '../../../lib/me/capability.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useAddRuleItem } from '../api/add-rule-item.ts';
import { type RuleView, useRules } from '../api/list-rules.ts';
import { useRuleTest } from '../api/test-rules.ts';
import { AddRuleItemForm, type NewItemValues } from '../components/add-rule-item-form.tsx';
import { Playground } from '../components/playground.tsx';
import { RuleList } from '../components/rule-list.tsx';
import { RuleTestResults } from '../components/rule-test-results.tsx';
import { playgroundRequest, wholeRuleRequest } from '../playground-request.ts';
import { RuleEditorPanel } from './rule-editor-panel.tsx';
import { type RulesSearch, ruleRefOf } from './rules-search.ts';
import '../rules.css';

const routeApi = getRouteApi('/shell/rules');

/** How long the typing must pause before the condition is tested. */
const typingPauseMs = 300;

function addressOf(ref: string | undefined) {
  if (!ref) return undefined;
  const [namespace, name] = ref.split('/');
  return namespace && name ? { namespace, name } : undefined;
}

/**
 * The Rules page: the Rule CRs with their items' load status, the playground that tries a condition
 * against the latest archived events as you type, and the YAML editor for one Rule CR.
 */
export function RulesPage() {
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const setSearch = (change: Partial<RulesSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...change }), replace: true });
  const rules = useRules();
  const canList = useCapability('listRules');
  const canUpdate = useCapability('updateRules');

  // The text is the input's own state; the URL and the request follow once the typing settles.
  const [condition, setCondition] = useState(search.condition ?? '');
  const settled = useDebouncedValue(condition, typingPauseMs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: write the URL only when the settled text changes
  useEffect(() => {
    if (settled !== (search.condition ?? '')) setSearch({ condition: settled || undefined });
  }, [settled]);

  const context = rules.data?.rules.find((rule) => ruleRefOf(rule) === search.context);
  const request = useMemo(() => playgroundRequest(settled, search.size, context), [settled, search.size, context]);
  const test = useRuleTest(request);
  // The condition the shown answer belongs to: while the next answer is on its way the previous one stays up.
  const tested = useRef<string | undefined>(undefined);
  if (test.data && !test.isPlaceholderData) tested.current = settled;

  const testedRule = rules.data?.rules.find((rule) => ruleRefOf(rule) === search.test);
  const wholeRule = useMemo(
    () => (testedRule ? wholeRuleRequest(testedRule, search.size) : undefined),
    [testedRule, search.size],
  );
  const ruleTest = useRuleTest(wholeRule);

  const addItem = useAddRuleItem();
  const [saved, setSaved] = useState<string>();
  const conditionIsValid =
    test.data !== undefined &&
    !test.isPlaceholderData &&
    settled === condition &&
    test.data.syntaxErrors.length === 0 &&
    test.data.loadErrors.length === 0;
  const saveItem = (values: NewItemValues) => {
    const target = addressOf(values.target);
    if (!target) return;
    setSaved(undefined);
    addItem.mutate(
      {
        target,
        item: {
          name: values.name,
          type: 'rule',
          condition,
          priority: values.priority,
          enable: values.enable,
          ...(values.desc ? { desc: values.desc } : {}),
          ...(values.output ? { output: values.output } : {}),
        },
      },
      {
        onSuccess: (stored) =>
          setSaved(
            `Added ${values.name} to Rule ${values.target}; the cluster now holds resourceVersion ${stored.metadata?.resourceVersion}.`,
          ),
      },
    );
  };

  const editAddress = addressOf(search.edit);
  const tryCondition = (text: string, rule: RuleView) => {
    setCondition(text);
    setSearch({ condition: text, context: ruleRefOf(rule) });
    document.getElementById('playground-title')?.scrollIntoView({ block: 'start' });
  };

  return (
    <section aria-labelledby="page-title" className="rules-page">
      <h1 id="page-title">Rules</h1>
      <p className="page-intro">
        The Rule CRs decide which audit events are archived and which alert. Each item shows whether the receiver loaded
        it and what it does; the playground tries a condition on recent events before you put it in a Rule.
      </p>

      {editAddress ? (
        <RuleEditorPanel
          address={editAddress}
          showManagedFields={search.managedFields}
          onShowManagedFieldsChange={(managedFields) => setSearch({ managedFields })}
          onClose={() => setSearch({ edit: undefined })}
        />
      ) : null}

      <Playground
        condition={condition}
        onConditionChange={setCondition}
        sampleSize={search.size}
        onSampleSizeChange={(size) => setSearch({ size })}
        contextName={context ? ruleRefOf(context) : undefined}
        onClearContext={() => setSearch({ context: undefined })}
        result={test.data}
        testedCondition={tested.current}
        pending={test.isFetching}
        error={test.error}
      >
        <AddRuleItemForm
          rules={rules.data?.rules ?? []}
          condition={condition}
          canSubmit={conditionIsValid}
          disabledReason={canUpdate.allowed ? undefined : (canUpdate.reason ?? 'You may not change Rules.')}
          pending={addItem.isPending}
          error={addItem.error}
          saved={saved}
          onSubmit={saveItem}
        />
      </Playground>

      <section aria-labelledby="rule-list-title">
        <h2 id="rule-list-title">Rule CRs</h2>
        {!canList.allowed ? <p className="disabled-reason">{canList.reason}</p> : null}
        {rules.isPending ? <p className="muted">Loading the Rules…</p> : null}
        {rules.error ? <StatusMessage error={rules.error} /> : null}
        {testedRule && search.test ? (
          <RuleTestResults
            title={search.test}
            result={ruleTest.data}
            pending={ruleTest.isFetching}
            error={ruleTest.error}
            onClose={() => setSearch({ test: undefined })}
          />
        ) : null}
        {rules.data ? (
          <RuleList
            view={rules.data}
            onEdit={(rule) => {
              setSearch({ edit: ruleRefOf(rule) });
              window.scrollTo({ top: 0 });
            }}
            onTest={(rule) => {
              setSearch({ test: ruleRefOf(rule) });
              document.getElementById('rule-list-title')?.scrollIntoView({ block: 'start' });
            }}
            onTry={tryCondition}
            editDisabledReason={canUpdate.allowed ? undefined : (canUpdate.reason ?? 'You may not change Rules.')}
          />
        ) : null}
      </section>
    </section>
  );
}
