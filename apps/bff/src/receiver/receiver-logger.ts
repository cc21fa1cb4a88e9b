import { type Logger, pino } from 'pino';

/**
 * The receiver's logger when its host gives none: JSON lines on stderr, so stdout can carry nothing but
 * KubeSphere archive lines when ARCHIVE_STDOUT is on (fluent-bit parses every stdout line it tails).
 */
export function createReceiverLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'receiver', level }, pino.destination(2));
}
