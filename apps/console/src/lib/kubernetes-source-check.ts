/**
 * The one misconfiguration that needs the receiver's counters: Kubernetes auditing switched on in the Webhook
 * (spec.k8sAuditingEnabled) while no event from kube-apiserver has arrived. ks-apiserver then skips the
 * Kubernetes requests it proxies, so until kube-apiserver sends its own events they go unaudited. In lib
 * because the Overview lists it and Auditing settings shows it beside the switch.
 */
export function silentKubernetesSourceMessage(
  k8sAuditingEnabled: boolean | undefined,
  kubernetesEventsReceived: number | undefined,
  receiverUpSince: string | undefined,
): string | undefined {
  if (k8sAuditingEnabled !== true || kubernetesEventsReceived === undefined || kubernetesEventsReceived > 0) {
    return undefined;
  }
  const since = receiverUpSince ? ` since the receiver started (${new Date(receiverUpSince).toLocaleString()})` : '';
  return `Kubernetes auditing is enabled (spec.k8sAuditingEnabled), but no event from kube-apiserver has arrived${since}. ks-apiserver now skips the requests it proxies, so they are not audited at all until kube-apiserver sends its own events: give it the audit policy and webhook configuration.`;
}
