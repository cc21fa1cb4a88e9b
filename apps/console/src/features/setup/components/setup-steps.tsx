import { Link } from '@tanstack/react-router';

export interface SetupStepsProps {
  /** Where each file goes on the control-plane nodes. */
  policyPath: string;
  webhookPath: string;
  /** Set when the receiver's CA must be copied to the node by hand (the server could not read it). */
  caPath?: string | undefined;
}

function directoryOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What to do with the files, in order, on a kubeadm-style control plane (kube-apiserver as a static pod). */
export function SetupSteps({ policyPath, webhookPath, caPath }: SetupStepsProps) {
  const auditDirectory = directoryOf(policyPath);
  const copied = [baseName(policyPath), baseName(webhookPath), ...(caPath ? [baseName(caPath)] : [])];
  return (
    <section aria-labelledby="steps-title" className="setup-steps">
      <h2 id="steps-title">Steps, in order</h2>
      <ol>
        <li>
          <strong>Copy the files to every control-plane node</strong>, into <code>{auditDirectory}</code>
          {caPath ? <> (with the receiver's CA certificate as {baseName(caPath)})</> : null}:
          <pre>{`sudo mkdir -p ${auditDirectory}
sudo cp ${copied.join(' ')} ${auditDirectory}/
sudo chmod 600 ${webhookPath}`}</pre>
          The webhook file may hold a token; keep it readable by root only.
        </li>
        <li>
          <strong>Back up the kube-apiserver manifest outside the manifests folder</strong> (the kubelet starts every
          file it finds in that folder, a backup copy included):
          <pre>sudo cp /etc/kubernetes/manifests/kube-apiserver.yaml /root/kube-apiserver.yaml.before-audit</pre>
        </li>
        <li>
          <strong>Add the flags, the volume mount and the volume</strong> shown above to{' '}
          <code>/etc/kubernetes/manifests/kube-apiserver.yaml</code>. kube-apiserver needs the mount to see the files: a
          flag naming a file it cannot read stops it from starting.
        </li>
        <li>
          <strong>Let it restart.</strong> The kubelet notices the changed manifest and restarts kube-apiserver by
          itself within a minute; the API is unavailable meanwhile on that node, so do one control-plane node at a time.
          Watch it come back:
          <pre>{`sudo crictl ps --name kube-apiserver
kubectl -n kube-system get pods -l component=kube-apiserver`}</pre>
          If it does not come back, read{' '}
          <code>sudo crictl logs $(sudo crictl ps -a --name kube-apiserver -q | head -1)</code> and restore the backup.
        </li>
        <li>
          <strong>Stop the duplicates from KubeSphere.</strong> Turn on "Kubernetes events come from kube-apiserver"
          (k8sAuditingEnabled) in <Link to="/settings">Auditing settings</Link>, so ks-apiserver no longer audits the
          Kubernetes requests it proxies.
        </li>
        <li>
          <strong>Verify.</strong> Make a change and look for it in <Link to="/live">Live events</Link>:
          <pre>{`kubectl create namespace audit-check
kubectl delete namespace audit-check`}</pre>
          It shows up within the batch wait you chose. If nothing arrives, check the apiserver's log for{' '}
          <code>audit</code> errors and its metric <code>apiserver_audit_error_total</code> (events dropped after
          retries).
        </li>
      </ol>
    </section>
  );
}
