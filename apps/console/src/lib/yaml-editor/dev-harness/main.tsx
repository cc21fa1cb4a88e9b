import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { webhookSpecOverlay } from '../auditing-overlays.ts';
import { YamlEditor } from '../lazy-editors.tsx';
import { MergeView } from '../merge-view.tsx';
import { resourceDocumentSchema } from '../resource-schema.ts';
import type { YamlMarker } from '../types.ts';
import '../../../app/styles.css';

const initial = `apiVersion: auditing.kubesphere.io/v1alpha1
kind: Webhook
metadata:
  name: kube-auditing-webhook
  resourceVersion: "12"
spec:
  auditLevel: Verbose
  replicas: two
  auditing:
    k8sAuditingEnabled: true
  archivingPriority: DEBUG
`;

const base = {
  apiVersion: 'v1',
  kind: 'Webhook',
  metadata: { name: 'w', resourceVersion: '1' },
  spec: {
    auditLevel: 'Metadata',
    replicas: 1,
    receivers: [{ name: 'a', type: 'alertmanager', config: { url: 'http://a' } }],
  },
};
const yours = {
  ...base,
  spec: {
    auditLevel: 'Request',
    replicas: 2,
    receivers: [{ name: 'a', type: 'alertmanager', config: { url: 'http://b' } }],
  },
};
const theirs = {
  ...base,
  metadata: { name: 'w', resourceVersion: '2' },
  spec: {
    auditLevel: 'RequestResponse',
    replicas: 1,
    receivers: [
      { name: 'a', type: 'alertmanager', config: { url: 'http://a' } },
      { name: 'c', type: 'webhook', config: { url: 'https://c' } },
    ],
  },
};

function App() {
  const [text, setText] = useState(initial);
  const [markers, setMarkers] = useState<YamlMarker[]>([]);
  const schema = useMemo(
    () =>
      resourceDocumentSchema(undefined, {
        apiVersion: 'auditing.kubesphere.io/v1alpha1',
        kind: 'Webhook',
        specOverlay: webhookSpecOverlay(),
      }),
    [],
  );
  return (
    <div style={{ padding: 16 }}>
      <YamlEditor
        modelPath="file:///auditorium/webhooks/kube-auditing-webhook.yaml"
        value={text}
        onChange={setText}
        schema={schema}
        label="test editor"
        onMarkersChange={setMarkers}
        height="300px"
      />
      <p id="marker-count">{markers.length}</p>
      <MergeView
        title="Webhook w"
        base={base}
        yours={yours}
        theirs={theirs}
        saving={false}
        onSave={(m) => {
          (window as unknown as { merged: unknown }).merged = m;
        }}
        onDiscard={() => {}}
      />
    </div>
  );
}
createRoot(document.getElementById('root')!).render(<App />);
