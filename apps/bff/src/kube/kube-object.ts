import type { Status } from '@auditorium/audit-model';
import { z } from 'zod';
import { isApiException, statusFromApiException } from './kube-errors.ts';

/** Any Kubernetes object as JSON; the fields every object has are typed, the rest is the kind's own. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * A 409 answer that lets the console merge three ways: the apiserver's Conflict Status and the object as
 * it is now (its base is what the user loaded, "mine" is their edit).
 */
export interface ConflictBody<Live> {
  status: Status;
  live: Live;
}

export type WriteOutcome<Stored, Live> =
  | { conflict: false; stored: Stored }
  | ({ conflict: true } & ConflictBody<Live>);

/**
 * Runs an optimistic-concurrency write. A stale resourceVersion (409 from the apiserver) comes back with
 * the live object instead of an error; every other failure is thrown.
 */
export async function writeOrConflict<Stored, Live>(
  write: () => Promise<Stored>,
  readLive: () => Promise<Live>,
): Promise<WriteOutcome<Stored, Live>> {
  try {
    return { conflict: false, stored: await write() };
  } catch (error) {
    if (!isApiException(error) || error.code !== 409) throw error;
    const status = statusFromApiException(error);
    let live: Live;
    try {
      live = await readLive();
    } catch {
      // Deleted or unreadable since: the Conflict itself is the answer.
      throw error;
    }
    return { conflict: true, status, live };
  }
}

/** `?dryRun=All`, as the apiserver spells it: run admission and validation, store nothing. */
export const dryRunQuery = z.object({
  dryRun: z.literal('All', { message: 'dryRun must be All when given' }).optional(),
});

/** `dryRun=All` for the apiserver when the request asked for it. */
export function dryRunParam(dryRun: 'All' | undefined): { dryRun?: string } {
  return dryRun === 'All' ? { dryRun: 'All' } : {};
}

/** Who Kubernetes records as the field manager of our writes (managedFields). */
export const fieldManager = 'auditorium';
