import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens and session ids are `<prefix>_<id>_<secret>`. The id finds the row; only a SHA-256
 * of the secret is stored, so a copy of the database does not hold a usable credential.
 */
export interface IssuedSecret {
  readonly id: string;
  readonly token: string;
  readonly hash: string;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export function issueSecret(prefix: 'sam' | 'ses' | 'dev'): IssuedSecret {
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${prefix}_${id}_${secret}`, hash: sha256(secret) };
}

const TOKEN = /^(sam|ses|dev)_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/** Splits a presented token into its id and secret, or undefined when it is not one of ours. */
export function parseSecret(token: string): { prefix: string; id: string; secret: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { prefix: m[1]!, id: m[2]!, secret: m[3]! } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
