import { StatusMessage } from '../../../lib/status-message.tsx';
import { useWebhook } from '../api/get-webhook.ts';
import { useWebhookSchema } from '../api/get-webhook-schema.ts';
import { KubesphereSwitchSection } from './kubesphere-switch-section.tsx';
import { WebhookEditor } from './webhook-editor.tsx';
import '../settings.css';

export function SettingsPage() {
  const webhook = useWebhook();
  const crdSchema = useWebhookSchema();
  // The editor waits for the schema (or its failure) so monaco-yaml validates from the first keystroke.
  const schemaSettled = !crdSchema.isPending;
  return (
    <section aria-labelledby="page-title" className="settings-page">
      <h1 id="page-title">Auditing settings</h1>
      <p className="page-intro">
        What gets audited and where it goes: the Webhook kube-auditing-webhook (read live by the receiver and by
        ks-apiserver) and KubeSphere's own switch.
      </p>
      {webhook.isPending || !schemaSettled ? <p role="status">Loading the Webhook…</p> : null}
      {webhook.isError ? <StatusMessage error={webhook.error} /> : null}
      {webhook.data && schemaSettled ? (
        <WebhookEditor loaded={webhook.data} crdSchema={crdSchema.data ?? undefined} />
      ) : null}
      <KubesphereSwitchSection />
    </section>
  );
}
