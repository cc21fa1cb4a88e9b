import type { ArchivedRecord } from '@auditorium/archive';

/**
 * Archive export: NDJSON (one `ArchivedRecord` per line, nothing lost) or CSV (a fixed column set for
 * spreadsheets, RFC 4180 quoting). Pages are pulled from the archive only as fast as the client reads, so
 * an export of millions of events holds one page in memory.
 */
export const exportFormats = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

type Cell = string | number | boolean | undefined | null;

/** The CSV columns, in order: header and how to read it from a record. */
export const csvColumns: ReadonlyArray<readonly [string, (record: ArchivedRecord) => Cell]> = [
  ['time', ({ event }) => event.RequestReceivedTimestamp],
  ['stageTime', ({ event }) => event.StageTimestamp],
  ['auditID', ({ event }) => event.AuditID],
  ['stage', ({ event }) => event.Stage],
  ['level', ({ event }) => event.Level],
  ['source', ({ event }) => event.Source],
  ['verb', ({ event }) => event.Verb],
  ['user', ({ event }) => event.User.username],
  ['groups', ({ event }) => event.User.groups?.join(',')],
  ['sourceIPs', ({ event }) => event.SourceIPs.join(',')],
  ['userAgent', ({ event }) => event.UserAgent],
  ['cluster', ({ event }) => event.Cluster],
  ['workspace', ({ event }) => event.Workspace],
  ['devops', ({ event }) => event.Devops],
  ['namespace', ({ event }) => event.ObjectRef?.Namespace],
  ['apiGroup', ({ event }) => event.ObjectRef?.APIGroup],
  ['apiVersion', ({ event }) => event.ObjectRef?.APIVersion],
  ['resource', ({ event }) => event.ObjectRef?.Resource],
  ['subresource', ({ event }) => event.ObjectRef?.Subresource],
  ['name', ({ event }) => event.ObjectRef?.Name],
  ['requestURI', ({ event }) => event.RequestURI],
  ['code', ({ event }) => event.ResponseStatus?.code],
  ['status', ({ event }) => event.ResponseStatus?.status],
  ['reason', ({ event }) => event.ResponseStatus?.reason],
  ['responseMessage', ({ event }) => event.ResponseStatus?.message],
  ['message', ({ event }) => event.Message],
  ['matchedRules', ({ matchedRules }) => matchedRules.join(',')],
  ['alerted', ({ alerted }) => alerted],
];

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: Cell): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

export function exportFileName(format: ExportFormat, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `auditorium-events-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}`;
}

export function exportStream(pages: AsyncIterable<ArchivedRecord[]>, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let headerSent = format !== 'csv';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRow(csvColumns.map(([header]) => header))));
        return;
      }
      const page = await iterator.next();
      if (page.done) {
        controller.close();
        return;
      }
      const text =
        format === 'csv'
          ? page.value.map((record) => csvRow(csvColumns.map(([, read]) => read(record)))).join('')
          : page.value
              .map(({ event, matchedRules, alerted }) => `${JSON.stringify({ event, matchedRules, alerted })}\n`)
              .join('');
      if (text) controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
