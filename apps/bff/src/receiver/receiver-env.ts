import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The receiver's environment variables, parsed and defaulted in one place (README "Configuration").
 * A bad value stops startup with a message naming the variable, rather than a receiver that silently
 * runs without TLS or with a 0-byte limit.
 */
const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim().toLowerCase() ?? '';
      if (text === '') return fallback;
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off'].includes(text)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got ${JSON.stringify(value)}` });
      return z.NEVER;
    });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const count = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isSafeInteger(parsed) || parsed < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return parsed;
    });

export const receiverEnvSchema = z.object({
  HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
  RECEIVER_PORT: count(6443),
  DATA_DIR: optionalText.transform((value) => resolve(value ?? '.auditorium')),
  /** TLS is on unless turned off explicitly. */
  RECEIVER_TLS: flag(true),
  RECEIVER_TLS_CERT: optionalText,
  RECEIVER_TLS_KEY: optionalText,
  /** Extra names for the generated serving certificate, comma-separated. */
  RECEIVER_TLS_SANS: optionalText.transform((value) =>
    (value ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  ),
  RECEIVER_TOKEN_FILE: optionalText,
  /** `namespace/name` of a Secret whose key `token` holds the bearer token. */
  RECEIVER_TOKEN_SECRET: optionalText.refine((value) => value === undefined || /^[^/\s]+\/[^/\s]+$/.test(value), {
    message: 'must be namespace/name',
  }),
  RECEIVER_CLIENT_CA_FILE: optionalText,
  RECEIVER_MAX_BODY_BYTES: count(32 * 1024 * 1024),
  RECEIVER_MAX_PENDING_EVENTS: count(50_000),
  ARCHIVE_STDOUT: flag(false),
  /** Days archived events are kept (KubeSphere's curator keeps 7); 0 keeps them forever. */
  ARCHIVE_RETENTION_DAYS: count(7),
});

export type ReceiverEnv = z.infer<typeof receiverEnvSchema>;

export function parseReceiverEnv(env: Record<string, string | undefined>): ReceiverEnv {
  const parsed = receiverEnvSchema.safeParse(env);
  if (parsed.success) {
    const value = parsed.data;
    if (Boolean(value.RECEIVER_TLS_CERT) !== Boolean(value.RECEIVER_TLS_KEY)) {
      throw new Error('receiver configuration: RECEIVER_TLS_CERT and RECEIVER_TLS_KEY must be set together');
    }
    if (!value.RECEIVER_TLS && value.RECEIVER_CLIENT_CA_FILE) {
      throw new Error('receiver configuration: RECEIVER_CLIENT_CA_FILE needs TLS; unset RECEIVER_TLS=false');
    }
    return value;
  }
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`receiver configuration: ${problems.join('; ')}`);
}
