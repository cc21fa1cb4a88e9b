import type { ArchiveQuery } from './event-store.ts';

/** KubeSphere's page defaults (reference §7.1), set here once for the store and the query-string parser. */
export const defaultPageSize = 10;
/**
 * Elasticsearch refused pages past `index.max_result_window` (10,000); we page deeper with OFFSET, but one
 * page stays bounded so a request cannot pull the archive into memory. Exports use `iterate`.
 */
export const maxPageSize = 10_000;

export interface Page {
  sort: 'asc' | 'desc';
  from: number;
  size: number;
}

/** The page a query asks for, defaults applied; throws RangeError for values no caller should send. */
export function pageOf(query: ArchiveQuery): Page {
  const from = query.from ?? 0;
  const size = query.size ?? defaultPageSize;
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`from must be a whole number ≥ 0, got ${from}`);
  if (!Number.isSafeInteger(size) || size < 0 || size > maxPageSize) {
    throw new RangeError(`size must be a whole number from 0 to ${maxPageSize}, got ${size}`);
  }
  return { sort: query.sort ?? 'desc', from, size };
}
