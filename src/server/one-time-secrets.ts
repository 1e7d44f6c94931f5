import { createHash, randomInt } from 'node:crypto';
import type { ShortLivedStore } from '../store/short-lived-store.ts';

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * Short-lived, single-use secrets, each bound to what it stands for (a device credential, a
 * volunteer): a WebSocket ticket, an enrolment code. Only a hash of each is kept, as a short-lived
 * record in the database under `prefix`: a secret issued by one node is spent on any, and once only.
 * Expired ones are deleted by the store's purge.
 */
export class OneTimeSecrets<T> {
  constructor(
    private readonly records: ShortLivedStore,
    /** Sets this kind of secret apart from the others in the store (`secret:<kind>:`). */
    private readonly prefix: string,
    private readonly clock: () => number,
    readonly ttlMs: number,
    private readonly normalise: (presented: string) => string = (s) => s,
  ) {}

  /** Keeps a new secret for `value`; the secret itself is returned once, not kept. */
  async issue(secret: string, value: T): Promise<{ expiresAt: string }> {
    const expiresAt = this.clock() + this.ttlMs;
    await this.records.put(this.key(secret), value, expiresAt);
    return { expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Spends a secret: what it was issued for, unless unknown, already spent or expired. */
  async take(presented: string): Promise<T | undefined> {
    return (await this.records.take(this.key(presented), this.clock())) as T | undefined;
  }

  /** Drops every outstanding secret issued for something (a revoked device, say). */
  forget(matches: (value: T) => boolean): Promise<number> {
    return this.records.deleteWhere(this.prefix, (v) => matches(v as T));
  }

  private key(secret: string): string {
    return `${this.prefix}${hash(this.normalise(secret))}`;
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
