import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Jupyter-style sign-in links for local mode: `npm start` prints a URL with a random single-use code;
 * opening it creates a session that acts with the kubeconfig's own identity. Only the person who can read
 * the server's output (the one who started it on this machine) gets a code. Codes are kept as hashes and
 * compared in constant time; each works once.
 */
export const signInLinkPath = '/api/session/link';

export interface SignInCodesOptions {
  /** Unused codes kept at once; minting more forgets the oldest. */
  maxOutstanding?: number;
  /** A code older than this no longer works. */
  ttlMs?: number;
  now?: () => number;
}

function digest(code: string): Buffer {
  return createHash('sha256').update(code).digest();
}

export class SignInCodes {
  readonly #outstanding: { hash: Buffer; mintedAt: number }[] = [];
  readonly #maxOutstanding: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: SignInCodesOptions = {}) {
    this.#maxOutstanding = options.maxOutstanding ?? 5;
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  mint(): string {
    const code = randomBytes(24).toString('base64url');
    this.#outstanding.push({ hash: digest(code), mintedAt: this.#now() });
    while (this.#outstanding.length > this.#maxOutstanding) this.#outstanding.shift();
    return code;
  }

  /** True once for a code this instance minted (and not yet expired); false for anything else. */
  consume(code: string): boolean {
    const hash = digest(code);
    const now = this.#now();
    const index = this.#outstanding.findIndex(
      (entry) => timingSafeEqual(entry.hash, hash) && now - entry.mintedAt <= this.#ttlMs,
    );
    if (index < 0) return false;
    this.#outstanding.splice(index, 1);
    return true;
  }
}

/** The URL to print: `<consoleUrl>/api/session/link?code=…`. */
export function signInLink(consoleUrl: string, code: string): string {
  const url = new URL(signInLinkPath, consoleUrl);
  url.searchParams.set('code', code);
  return url.toString();
}
