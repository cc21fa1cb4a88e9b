import { failureStatus } from '@auditorium/audit-model';
import { bodyLimit } from 'hono/body-limit';
import { StatusError } from '../errors.ts';

/**
 * Caps request bodies so a client cannot make the server buffer arbitrary amounts. The default leaves room
 * for the largest object the apiserver itself accepts (about 1.5 MiB in etcd, 3 MiB per request).
 */
export const defaultBodyLimitBytes = 3 * 1024 * 1024;

export function requestBodyLimit(maxBytes = defaultBodyLimitBytes) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new StatusError(
        failureStatus(
          413,
          'RequestEntityTooLarge',
          `The request body is larger than ${maxBytes} bytes; send a smaller object.`,
        ),
      );
    },
  });
}
