import { isIPv6 } from 'node:net';
import type { ShortLivedStore } from '../store/short-lived-store.ts';

export interface SignInThrottleOptions {
  /** Failures a name and address may have before each further attempt waits. */
  readonly freeFailures: number;
  /** The first wait (ms); each further failure doubles it, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Failures of a name, from all addresses within `sprayWindowMs`, past which a spray is assumed. */
  readonly sprayFailures: number;
  readonly sprayWindowMs: number;
  /** A name and address with no failure for this long start again from nothing (ms). */
  readonly forgetMs: number;
}

export const SIGN_IN_THROTTLE: SignInThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  sprayFailures: 20,
  sprayWindowMs: 60 * 60_000,
  forgetMs: 24 * 60 * 60_000,
};

interface PairFailures {
  readonly count: number;
  readonly last: number;
}

interface NameFailures {
  readonly count: number;
  readonly since: number;
}

/**
 * Slows password guessing without handing strangers a way to lock a user out. Failures count per
 * name *and* address: after a few, each further attempt from that pair waits twice as long as the
 * one before (capped), while the same name from another address is not slowed at all. Against a
 * spray of one name from many addresses, a name with many recent failures lets each address that
 * has already failed for it only one free failure: the spray still costs the guesser an address per
 * guess or two, and an address that never failed for the name (the real user) still goes straight
 * in. The counts are short-lived records in the database, so every node counts the same failures;
 * each attempt reads and books them in one update, serialised per name and address across nodes.
 */
export class SignInThrottle {
  constructor(
    private readonly records: ShortLivedStore,
    private readonly clock: () => number,
    private readonly o: SignInThrottleOptions = SIGN_IN_THROTTLE,
  ) {}

  /**
   * Asks to check a password of this name from this address. When it may be tried now (0), the
   * attempt is booked as a failure before the check: parallel guesses each see the ones started
   * before them, and a right password gives its booking back (`succeeded`). Else the ms to wait,
   * and nothing is booked.
   */
  attempt(name: string, ip: string): Promise<number> {
    const now = this.clock();
    return this.records.update([pairKey(name, ip), nameKey(name)], now, (current) => {
      const [pair, names] = this.read(current, now);
      const wait = this.waitMs(pair, names, now);
      const [p, n] = wait === 0 ? this.failed(pair, names, now) : [pair, names];
      return { values: [p, n], expiresAt: this.expiry(p, n, now), result: wait };
    });
  }

  /** Ms until this name may be tried from this address again; 0 when it may be tried now. */
  private waitMs(pair: PairFailures | undefined, names: NameFailures | undefined, now: number): number {
    if (pair === undefined) return 0;
    const free = this.sprayed(names, now) ? 1 : this.o.freeFailures;
    if (pair.count < free) return 0;
    const delay = Math.min(this.o.baseDelayMs * 2 ** Math.min(pair.count - free, 40), this.o.maxDelayMs);
    return Math.max(0, pair.last + delay - now);
  }

  private failed(pair: PairFailures | undefined, n: NameFailures | undefined, now: number): [PairFailures, NameFailures] {
    return [
      { count: (pair?.count ?? 0) + 1, last: now },
      n === undefined || now - n.since > this.o.sprayWindowMs ? { count: 1, since: now } : { count: n.count + 1, since: n.since },
    ];
  }

  /**
   * The right password from this address: its own failures are forgiven, and the booking of this
   * attempt is taken back from the name's count (the name's other failures still count).
   */
  async succeeded(name: string, ip: string): Promise<void> {
    const now = this.clock();
    await this.records.update([pairKey(name, ip), nameKey(name)], now, (current) => {
      const [, n] = this.read(current, now);
      const names = n !== undefined && n.count > 0 ? { count: n.count - 1, since: n.since } : n;
      return { values: [undefined, names], expiresAt: this.expiry(undefined, names, now), result: undefined };
    });
  }

  /** The pair's failures (none once forgotten) and the name's, as stored. */
  private read(current: readonly unknown[], now: number): [PairFailures | undefined, NameFailures | undefined] {
    const pair = current[0] as PairFailures | undefined;
    return [pair !== undefined && now - pair.last > this.o.forgetMs ? undefined : pair, current[1] as NameFailures | undefined];
  }

  private sprayed(n: NameFailures | undefined, now: number): boolean {
    return n !== undefined && now - n.since <= this.o.sprayWindowMs && n.count >= this.o.sprayFailures;
  }

  /**
   * Both records are written together with one expiry: the later of the two moments past which the
   * logic above would no longer count them. Each still carries its own times, which the logic reads.
   */
  private expiry(pair: PairFailures | undefined, names: NameFailures | undefined, now: number): number {
    const ends = [...(pair ? [pair.last + this.o.forgetMs] : []), ...(names ? [names.since + this.o.sprayWindowMs] : [])];
    return ends.length === 0 ? now : Math.max(...ends) + 1;
  }
}

// A name may hold a line break, an address (addressKey) never: the last one in a pair's key separates them.
const pairKey = (name: string, ip: string) => `signin:pair:${name}\n${addressKey(ip)}`;
const nameKey = (name: string) => `signin:name:${name}`;

/**
 * The part of an address that one client holds: an IPv4 address as is (also when mapped into
 * IPv6), an IPv6 address by its /64, which a single host commonly has whole.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return ip;
  const [head = '', tail] = bare.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
