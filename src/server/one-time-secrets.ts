import { createHash, randomInt } from 'node:crypto';

/** Outstanding secrets kept at most; the oldest go first. */
const MAX_OUTSTANDING = 10_000;

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * Short-lived, single-use secrets, each bound to what it stands for (a device credential, a
 * volunteer): a WebSocket ticket, an enrolment code. Only a hash of each is kept, in memory: a
 * restart forgets them, and the holder asks again.
 */
export class OneTimeSecrets<T> {
  private readonly byHash = new Map<string, { readonly value: T; readonly expiresAt: number }>();

  constructor(
    private readonly clock: () => number,
    readonly ttlMs: number,
    private readonly normalise: (presented: string) => string = (s) => s,
  ) {}

  /** Keeps a new secret for `value`; the secret itself is returned once, not kept. */
  issue(secret: string, value: T): { expiresAt: string } {
    const now = this.clock();
    for (const [h, t] of this.byHash) if (t.expiresAt <= now) this.byHash.delete(h);
    while (this.byHash.size >= MAX_OUTSTANDING) this.byHash.delete(this.byHash.keys().next().value!);
    const expiresAt = now + this.ttlMs;
    this.byHash.set(hash(this.normalise(secret)), { value, expiresAt });
    return { expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Spends a secret: what it was issued for, unless unknown, already spent or expired. */
  take(presented: string): T | undefined {
    const h = hash(this.normalise(presented));
    const t = this.byHash.get(h);
    if (t === undefined) return undefined;
    this.byHash.delete(h);
    return t.expiresAt > this.clock() ? t.value : undefined;
  }

  /** Drops every outstanding secret issued for something (a revoked device, say). */
  forget(matches: (value: T) => boolean): void {
    for (const [h, t] of this.byHash) if (matches(t.value)) this.byHash.delete(h);
  }
}

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V). */
export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTWXY';

/** A code a person reads off one phone and types on another: 8 characters of CODE_ALPHABET (about 36 bits). */
export function newEnrolmentCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** As typed: any case, with spaces or dashes between groups. */
export const normaliseCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '');
