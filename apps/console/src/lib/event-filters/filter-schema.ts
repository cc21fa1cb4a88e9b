import { auditLevels, eventSources, stages } from '@auditorium/audit-model';
import { z } from 'zod';

/**
 * URL search-param building blocks shared by Live events and Search. Every field falls back with `.catch`,
 * so a hand-edited or outdated link opens the page with that filter dropped instead of an error page.
 * Text fields may hold several comma-separated values, ORed, as the BFF's filter parameters do.
 */
export const textParam = z.string().trim().max(500).optional().catch(undefined);
export const levelParam = z.enum(auditLevels).optional().catch(undefined);
export const stageParam = z.enum(stages).optional().catch(undefined);
export const sourceParam = z.enum(eventSources).optional().catch(undefined);
/** Comma-separated HTTP status codes such as `403,404`. */
export const codeParam = z
  .string()
  .trim()
  .regex(/^[1-5]\d\d(\s*,\s*[1-5]\d\d)*$/)
  .optional()
  .catch(undefined);
/** The selected event of a drawer: `<AuditID>/<Stage>`. */
export const eventKeyParam = z.string().max(200).optional().catch(undefined);

/** Drops empty values, so links and query keys carry only filters that are set. */
export function compact<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}
