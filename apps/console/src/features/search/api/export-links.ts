import { api } from '../../../lib/api-client.ts';

export type ExportFormat = 'ndjson' | 'csv';

/**
 * `GET /api/events/export` as a download link carrying the current filters. The browser fetches it itself
 * (same origin, so the session cookie goes along) and streams it to disk; nothing is held in this page.
 */
export function exportUrl(filter: Record<string, string>, format: ExportFormat): string {
  return api.events.export.$url({ query: { ...filter, format } }).href;
}
