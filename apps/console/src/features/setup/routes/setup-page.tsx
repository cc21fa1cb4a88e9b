import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { type SetupRequest, useSetupFiles } from '../api/get-setup-files.ts';
import { copyText, downloadTextFile } from '../browser-files.ts';
import { GeneratedFile } from '../components/generated-file.tsx';
import { SetupSteps } from '../components/setup-steps.tsx';
import { TrafficEstimate } from '../components/traffic-estimate.tsx';
import { batchMaxWaits, setupPresets } from './setup-search.ts';
import '../setup.css';

const routeApi = getRouteApi('/shell/setup');

const presetLabels: Record<(typeof setupPresets)[number], string> = {
  recommended: 'Recommended',
  minimal: 'Minimal: metadata of everything',
};

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function SetupPage() {
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const setSearch = (change: Partial<typeof search>) =>
    void navigate({ search: (previous) => ({ ...previous, ...change }), replace: true });

  const [server, setServer] = useState('');
  const [token, setToken] = useState('');
  // Strings, not an object: a new object each render would restart the debounce timer forever.
  const typedServer = useDebouncedValue(server.trim(), 400);
  const typedToken = useDebouncedValue(token.trim(), 400);
  const serverLooksValid = typedServer === '' || /^https:\/\/\S+$/.test(typedServer);

  const request: SetupRequest = { preset: search.preset, batchMaxWait: search.maxWait };
  if (typedServer && serverLooksValid) request.server = typedServer;
  if (typedToken) request.token = typedToken;
  const setup = useSetupFiles(request);
  const files = setup.data?.files;

  return (
    <section aria-labelledby="page-title" className="setup-page">
      <h1 id="page-title">Kubernetes setup</h1>
      <p className="page-intro">
        Send kube-apiserver's own audit events to Auditorium: pick an audit policy, download the two files, add the
        flags, let kube-apiserver restart. The choices are kept in the page address, so a link gives the same files.
      </p>

      <h2>1. What to record</h2>
      <fieldset className="preset-picker">
        <legend>Policy preset</legend>
        {setupPresets.map((preset) => (
          <label key={preset} className="preset-option" data-checked={preset === search.preset}>
            <input
              type="radio"
              name="policy-preset"
              value={preset}
              checked={preset === search.preset}
              onChange={() => setSearch({ preset })}
            />
            <span className="preset-label">{presetLabels[preset]}</span>
          </label>
        ))}
        {setup.data ? (
          <p className="preset-summary muted" aria-live="polite">
            {setup.data.presetDescription}
          </p>
        ) : null}
      </fieldset>

      <h2>2. Where to send it</h2>
      <div className="setup-form">
        <label>
          Receiver URL, if not the receiver Service's ClusterIP (optional)
          <input
            type="url"
            value={server}
            placeholder={setup.data?.receiver.server ?? 'https://…:6443/audit/webhook/event'}
            onChange={(event) => setServer(event.target.value)}
            aria-describedby="receiver-url-help"
            aria-invalid={!serverLooksValid}
          />
        </label>
        <p id="receiver-url-help" className="muted">
          kube-apiserver runs on the host network and usually cannot resolve Service names, so the address is an IP: the
          Service's ClusterIP, a NodePort or a load balancer, with the path /audit/webhook/event. It must be https.
          {!serverLooksValid ? <strong className="warning-text"> This is not an https:// URL.</strong> : null}
        </p>
        <label>
          Bearer token, if the receiver checks senders (optional)
          <input type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} />
        </label>
        <label className="inline-field">
          Send a batch at least every
          <select
            value={search.maxWait}
            onChange={(event) => setSearch({ maxWait: event.target.value as (typeof batchMaxWaits)[number] })}
          >
            {batchMaxWaits.map((wait) => (
              <option key={wait} value={wait}>
                {wait}
                {wait === '30s' ? ' (kube-apiserver default: a quiet cluster’s events arrive late)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {setup.data ? (
        <ul className="receiver-notes muted" aria-label="About the receiver">
          {setup.data.receiver.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}

      {setup.isPending ? <p role="status">Generating the files…</p> : null}
      {setup.isError ? <StatusMessage error={setup.error} /> : null}
      {setup.data && files ? (
        <div aria-busy={setup.isFetching}>
          <TrafficEstimate estimate={setup.data.estimate} />
          <h2>3. The files</h2>
          <GeneratedFile
            id="policy-file"
            title="Policy"
            description={files.auditPolicy.description}
            path={files.auditPolicy.path}
            fileName={baseName(files.auditPolicy.path)}
            text={files.auditPolicy.content}
            onCopy={copyText}
            onDownload={downloadTextFile}
          />
          <GeneratedFile
            id="webhook-file"
            title="Webhook kubeconfig"
            description={files.auditWebhookConfig.description}
            path={files.auditWebhookConfig.path}
            fileName={baseName(files.auditWebhookConfig.path)}
            text={files.auditWebhookConfig.content}
            onCopy={copyText}
            onDownload={downloadTextFile}
          />
          <GeneratedFile
            id="manifest"
            title="kube-apiserver flags and mount"
            description={files.apiserverManifest.description}
            path={files.apiserverManifest.path}
            text={files.apiserverManifest.content}
            onCopy={copyText}
          />
          {setup.data.notes.length > 0 ? (
            <ul className="setup-notes">
              {setup.data.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : null}
          <SetupSteps
            policyPath={files.auditPolicy.path}
            webhookPath={files.auditWebhookConfig.path}
            caPath={
              setup.data.receiver.caSource === 'node-file' ? caPathFrom(files.auditWebhookConfig.content) : undefined
            }
          />
        </div>
      ) : null}
    </section>
  );
}

/** The CA path the webhook kubeconfig names when the CA is a file on the node. */
function caPathFrom(webhookConfig: string): string | undefined {
  return /certificate-authority:\s*(\S+)/.exec(webhookConfig)?.[1];
}
