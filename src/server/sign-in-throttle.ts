import { isIPv6 } from 'node:net';

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

/** Entries kept per map: past this the oldest go first, so a spray of names cannot fill memory. */
const MAX_ENTRIES = 100_000;

interface PairFailures {
  count: number;
  last: number;
}

/**
 * Slows password guessing without handing strangers a way to lock a user out. Failures count per
 * name *and* address: after a few, each further attempt from that pair waits twice as long as the
 * one before (capped), while the same name from another address is not slowed at all. Against a
 * spray of one name from many addresses, a name with many recent failures lets each address that
 * has already failed for it only one free failure: the spray still costs the guesser an address per
 * guess or two, and an address that never failed for the name (the real user) still goes straight
 * in. In memory: a restart forgives.
 */
export class SignInThrottle {
  private readonly pairs = new Map<string, PairFailures>();
  private readonly names = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly clock: () => number,
    private readonly o: SignInThrottleOptions = SIGN_IN_THROTTLE,
  ) {}

  /**
   * Asks to check a password of this name from this address. When it may be tried now (0), the
   * attempt is booked as a failure before the check: parallel guesses each see the ones started
   * before them, and a right password gives its booking back (`succeeded`). Else the ms to wait,
   * and nothing is booked.
   */
  attempt(name: string, ip: string): number {
    const wait = this.waitMs(name, ip);
    if (wait === 0) this.failed(name, ip);
    return wait;
  }

  /** Ms until this name may be tried from this address again; 0 when it may be tried now. */
  private waitMs(name: string, ip: string): number {
    const now = this.clock();
    const pair = this.pair(name, ip, now);
    if (pair === undefined) return 0;
    const free = this.sprayed(name, now) ? 1 : this.o.freeFailures;
    if (pair.count < free) return 0;
    const delay = Math.min(this.o.baseDelayMs * 2 ** Math.min(pair.count - free, 40), this.o.maxDelayMs);
    return Math.max(0, pair.last + delay - now);
  }

  private failed(name: string, ip: string): void {
    const now = this.clock();
    const key = pairKey(name, ip);
    const pair = this.pair(name, ip, now) ?? { count: 0, last: now };
    remember(this.pairs, key, { count: pair.count + 1, last: now });
    const n = this.names.get(name);
    remember(
      this.names,
      name,
      n === undefined || now - n.since > this.o.sprayWindowMs ? { count: 1, since: now } : { count: n.count + 1, since: n.since },
    );
  }

  /**
   * The right password from this address: its own failures are forgiven, and the booking of this
   * attempt is taken back from the name's count (the name's other failures still count).
   */
  succeeded(name: string, ip: string): void {
    this.pairs.delete(pairKey(name, ip));
    const n = this.names.get(name);
    if (n !== undefined && n.count > 0) this.names.set(name, { count: n.count - 1, since: n.since });
  }

  private pair(name: string, ip: string, now: number): PairFailures | undefined {
    const key = pairKey(name, ip);
    const pair = this.pairs.get(key);
    if (pair !== undefined && now - pair.last > this.o.forgetMs) {
      this.pairs.delete(key);
      return undefined;
    }
    return pair;
  }

  private sprayed(name: string, now: number): boolean {
    const n = this.names.get(name);
    return n !== undefined && now - n.since <= this.o.sprayWindowMs && n.count >= this.o.sprayFailures;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key); // re-inserted at the end: the map stays in order of last change
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

const pairKey = (name: string, ip: string) => `${addressKey(ip)} ${name}`;

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
