import type { ArchiveFilter } from '@auditorium/archive';
import { AuditLevel, EventSource, Stage } from '@auditorium/audit-model';
import { z } from 'zod';

/**
 * The one filter vocabulary of the console's event views: the live stream and the archive search take the
 * same query parameters, with the archive's semantics (reference §7.1): parameters are ANDed, the
 * comma-separated values of one parameter are ORed. Exact parameters compare case-sensitively; `*Search`
 * parameters and `q` look for a substring ignoring case; `resource`/`subresource` match a prefix.
 */

/** `a,b,,c` → ['a','b','c']; each value then checked by `item`, so a bad one is reported as `param[i]`. */
function commaList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .optional()
    .transform((text) => {
      const values = text
        ?.split(',')
        .map((value) => value.trim())
        .filter((value) => value !== '');
      return values?.length ? values : undefined;
    })
    .pipe(z.array(item).optional());
}

const text = commaList(z.string());

/** Unix milliseconds or an RFC 3339 time. */
const instant = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a time: give Unix milliseconds or RFC 3339, e.g. 2024-05-01T12:00:00Z`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** The filter parameters; routes add their own (paging, interval, format) with `filterQuery`. */
export const eventFilterShape = {
  verb: commaList(z.string().toLowerCase()),
  user: text,
  userSearch: text,
  group: text,
  namespace: text,
  namespaceSearch: text,
  workspace: text,
  workspaceSearch: text,
  resource: text,
  subresource: text,
  name: text,
  nameSearch: text,
  code: commaList(
    z.coerce
      .number<string>({ message: 'must be an HTTP status code such as 403' })
      .int('must be an HTTP status code such as 403')
      .min(100, 'must be an HTTP status code such as 403')
      .max(599, 'must be an HTTP status code such as 403'),
  ),
  status: text,
  level: commaList(AuditLevel),
  stage: commaList(Stage),
  source: commaList(EventSource),
  sourceIp: text,
  q: z.string().trim().optional(),
  start: instant,
  end: instant,
};

/** The filter parameters plus a route's own, with the checks that span parameters. */
export function filterQuery<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.object({ ...eventFilterShape, ...extra }).refine(
    (query) => {
      const { start, end } = query as { start?: number; end?: number };
      return start === undefined || end === undefined || start <= end;
    },
    {
      message: 'start must not be after end',
      path: ['start'],
    },
  );
}

export const eventFilterQuery = filterQuery({});
export type EventFilterQuery = z.output<typeof eventFilterQuery>;

export function toArchiveFilter(query: EventFilterQuery): ArchiveFilter {
  const filter: ArchiveFilter = {
    startTime: query.start,
    endTime: query.end,
    verbs: query.verb,
    users: query.user,
    userSearch: query.userSearch,
    groupSearch: query.group,
    namespaces: query.namespace,
    namespaceSearch: query.namespaceSearch,
    workspaces: query.workspace,
    workspaceSearch: query.workspaceSearch,
    resources: query.resource,
    subresources: query.subresource,
    names: query.name,
    nameSearch: query.nameSearch,
    responseCodes: query.code,
    responseStatuses: query.status,
    levels: query.level,
    stages: query.stage,
    sources: query.source,
    sourceIpSearch: query.sourceIp,
    text: query.q || undefined,
  };
  for (const key of Object.keys(filter) as Array<keyof ArchiveFilter>) {
    if (filter[key] === undefined) delete filter[key];
  }
  return filter;
}
