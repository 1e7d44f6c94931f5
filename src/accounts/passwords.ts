import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt's cost as log2(N). OWASP's floor is N = 2^17 (r = 8, p = 1: about 128 MiB and a few
 * hundred ms per hash); tests lower it by setting, never the product.
 */
export const DEFAULT_SCRYPT_LOG2N = 17;
const R = 8;
const P = 1;
const KEYLEN = 32;
/** Hashes and parameters we accept from storage: anything outside is not a hash of ours. */
const MAX_LOG2N = 20;

/** scrypt needs 128·N·r bytes; Node refuses anything above maxmem (32 MiB by default), so it is set from N. */
const maxmemFor = (n: number, r: number) => 128 * n * r + 2 * 1024 * 1024;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** The parameters recorded in a stored hash, or undefined when it is not one of ours. */
function parse(stored: string): { n: number; r: number; p: number; salt: Buffer; hash: Buffer } | undefined {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  const [N, rr, pp] = [Number(n), Number(r), Number(p)];
  if (kind !== 'scrypt' || !salt || !hash) return undefined;
  if (!Number.isInteger(N) || N < 2 || N > 2 ** MAX_LOG2N || (N & (N - 1)) !== 0) return undefined;
  if (!Number.isInteger(rr) || rr < 1 || rr > 32 || !Number.isInteger(pp) || pp < 1 || pp > 16) return undefined;
  return { n: N, r: rr, p: pp, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/** Hashes and checks passwords with scrypt at one cost; each hash records its own parameters. */
export class PasswordHasher {
  private readonly n: number;

  constructor(readonly log2n: number = DEFAULT_SCRYPT_LOG2N) {
    if (!Number.isInteger(log2n) || log2n < 1 || log2n > MAX_LOG2N)
      throw new Error(`scrypt cost log2(N) must be an integer from 1 to ${MAX_LOG2N}, not ${log2n}`);
    this.n = 2 ** log2n;
  }

  /** `scrypt$N$r$p$salt$hash` (base64url), with a fresh 16-byte salt. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, { N: this.n, r: R, p: P, maxmem: maxmemFor(this.n, R) });
    return ['scrypt', this.n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Checks a password against a stored hash (at the cost it records) in constant time. */
  async verify(password: string, stored: string): Promise<boolean> {
    const h = parse(stored);
    if (!h) return false;
    const key = await derive(password, h.salt, { N: h.n, r: h.r, p: h.p, maxmem: maxmemFor(h.n, h.r) });
    return key.length === h.hash.length && timingSafeEqual(key, h.hash);
  }

  /** Whether a stored hash was made at a lower cost than this hasher's (to be hashed again at the next sign-in). */
  weaker(stored: string): boolean {
    const h = parse(stored);
    return h !== undefined && (h.n < this.n || h.r < R);
  }
}

/** A password for a generated account: 20 characters from a 56-letter alphabet (~116 bits). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('');
}
