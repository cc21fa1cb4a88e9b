import type { PostableAlert } from './postable-alert.ts';

/** One destination of the Webhook CR's `receivers[]`, able to deliver a batch of alerts. */
export interface AlertClient {
  /** Where alerts go, for status pages (`http://alertmanager-main.kubesphere-monitoring-system.svc:9093`). */
  endpoint: string;
  send(alerts: PostableAlert[]): Promise<void>;
}
