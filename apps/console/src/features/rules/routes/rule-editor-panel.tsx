import { auditingApiVersion } from '@auditorium/audit-model';
import { useMemo } from 'react';
import { useCapability } from '../../../lib/me/capability.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { ruleSpecOverlay } from '../../../lib/yaml-editor/auditing-overlays.ts';
import { ResourceEditor } from '../../../lib/yaml-editor/resource-editor.tsx';
import { resourceDocumentSchema } from '../../../lib/yaml-editor/resource-schema.ts';
import type { JsonSchema } from '../../../lib/yaml-editor/types.ts';
import { type RuleAddress, useRuleObject, useRuleSchema, useSaveRuleObject } from '../api/rule-object.ts';

/**
 * One Rule CR in the shared schema-aware YAML editor: the Rule CRD's schema with audit-model's enums laid
 * over it, so a wrong type or an unknown priority is marked as you type and refuses the save; then the
 * server's dry run as a diff, then the save on the loaded resourceVersion (a 409 opens the merge).
 */
export function RuleEditorPanel({
  address,
  showManagedFields,
  onShowManagedFieldsChange,
  onClose,
}: {
  address: RuleAddress;
  showManagedFields: boolean;
  onShowManagedFieldsChange: (show: boolean) => void;
  onClose: () => void;
}) {
  const rule = useRuleObject(address);
  const crdSchema = useRuleSchema();
  const save = useSaveRuleObject(address);
  const canUpdate = useCapability('updateRules');
  const schema = useMemo(
    () =>
      resourceDocumentSchema((crdSchema.data ?? undefined) as JsonSchema | undefined, {
        apiVersion: auditingApiVersion,
        kind: 'Rule',
        specOverlay: ruleSpecOverlay(),
      }),
    [crdSchema.data],
  );
  const title = `Rule ${address.namespace}/${address.name}`;

  return (
    <section className="rule-editor" aria-labelledby="rule-editor-title">
      <div className="rule-editor-header">
        <h2 id="rule-editor-title">
          Edit <code>{`${address.namespace}/${address.name}`}</code>
        </h2>
        <button type="button" onClick={onClose}>
          Close the editor
        </button>
      </div>
      {rule.isPending || crdSchema.isPending ? <p className="muted">Loading the Rule…</p> : null}
      {rule.error ? <StatusMessage error={rule.error} /> : null}
      {rule.data && !crdSchema.isPending ? (
        <ResourceEditor
          key={`${address.namespace}/${address.name}`}
          loaded={rule.data}
          title={title}
          modelPath={`file:///auditorium/rules/${address.namespace}/${address.name}.yaml`}
          schema={schema}
          readOnlyReason={canUpdate.allowed ? undefined : (canUpdate.reason ?? 'You may not change Rules.')}
          save={save}
          showManagedFields={showManagedFields}
          onShowManagedFieldsChange={onShowManagedFieldsChange}
        />
      ) : null}
    </section>
  );
}
