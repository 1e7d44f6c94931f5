import { sameLine, type AmlFix } from './aml.ts';

/** A fix as it is held: with its id and when it stops being offered (epoch ms). */
export interface HeldFix {
  readonly id: string;
  readonly fix: AmlFix;
  readonly receivedAt: number;
  readonly expiresAt: number;
}

/** A fix is offered for an hour: longer than almost any call, short enough to be forgotten soon. */
export const AML_FIX_TTL_MS = 60 * 60 * 1000;
/** Held at most per bucket; the oldest go first, so a flood on one line does not grow without end. */
const MAX_PER_BUCKET = 100;
/** The digits two numbers of one line always share (`sameLine` needs at least this many to match). */
const BUCKET_DIGITS = 7;

/**
 * The recent AML fixes are held in buckets, by the last 7 digits of their number: any two numbers
 * that are the same line (`sameLine`) end with the same 7 digits, so a line's fixes are all in one
 * bucket. Undefined for a number too short to match any line.
 */
export function lineBucket(number: string): string | undefined {
  const digits = number.replace(/\D/g, '');
  return digits.length < BUCKET_DIGITS ? undefined : digits.slice(-BUCKET_DIGITS);
}

/** A bucket with `held` added last and what expired at `now` gone. */
export function withFix(bucket: readonly HeldFix[], held: HeldFix, now: number): HeldFix[] {
  return [...bucket.filter((h) => h.expiresAt > now), held].slice(-MAX_PER_BUCKET);
}

/** The latest unexpired fix from this line in a bucket, if any. */
export function latestFix(bucket: readonly HeldFix[], number: string, now: number): HeldFix | undefined {
  for (let i = bucket.length - 1; i >= 0; i--) {
    const h = bucket[i]!;
    if (h.expiresAt > now && sameLine(h.fix.number, number)) return h;
  }
  return undefined;
}
