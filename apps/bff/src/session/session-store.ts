import { createHash, randomBytes } from 'node:crypto';
import type { SignedInUser } from '../kube/user-kube.ts';

/**
 * Server-side sessions: the browser holds only a random id in an HttpOnly cookie; the credential stays
 * here. Behind an interface so a shared store (for several replicas) can replace the in-memory one.
 */

/** How a session reaches the cluster: the user's bearer token, or (local mode only) the kubeconfig's own identity. */
export type SessionCredential = { kind: 'token'; token: string } | { kind: 'kubeconfig' };

export interface Session {
  id: string;
  credential: SessionCredential;
  user: SignedInUser;
  createdAt: number;
  lastActiveAt: number;
}

export interface SessionStore {
  readonly lifetime: SessionLifetime;
  create(credential: SessionCredential, user: SignedInUser): Promise<Session>;
  /** The live session with this id, marked active now; undefined when unknown or expired. */
  get(id: string): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
}

export interface SessionLifetime {
  /** A session unused this long is gone. */
  idleMs: number;
  /** A session is gone this long after sign-in, however busy. */
  absoluteMs: number;
}

export const defaultSessionLifetime: SessionLifetime = { idleMs: 60 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/** Store keys are hashes of the ids, so a heap dump or debug print of the store holds no usable cookie. */
function storeKey(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export interface MemorySessionStoreOptions extends Partial<SessionLifetime> {
  /** Oldest sessions are dropped beyond this many. */
  maxSessions?: number;
  now?: () => number;
}

export class MemorySessionStore implements SessionStore {
  readonly lifetime: SessionLifetime;
  readonly #sessions = new Map<string, Session>();
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.lifetime = {
      idleMs: options.idleMs ?? defaultSessionLifetime.idleMs,
      absoluteMs: options.absoluteMs ?? defaultSessionLifetime.absoluteMs,
    };
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async create(credential: SessionCredential, user: SignedInUser): Promise<Session> {
    this.#sweep();
    const now = this.#now();
    const session: Session = { id: newSessionId(), credential, user, createdAt: now, lastActiveAt: now };
    this.#sessions.set(storeKey(session.id), session);
    while (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return session;
  }

  async get(id: string): Promise<Session | undefined> {
    const key = storeKey(id);
    const session = this.#sessions.get(key);
    if (!session) return undefined;
    const now = this.#now();
    if (this.#expired(session, now)) {
      this.#sessions.delete(key);
      return undefined;
    }
    session.lastActiveAt = now;
    return session;
  }

  async delete(id: string): Promise<void> {
    this.#sessions.delete(storeKey(id));
  }

  #expired(session: Session, now: number): boolean {
    return now - session.lastActiveAt > this.lifetime.idleMs || now - session.createdAt > this.lifetime.absoluteMs;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, session] of this.#sessions) {
      if (this.#expired(session, now)) this.#sessions.delete(key);
    }
  }
}
