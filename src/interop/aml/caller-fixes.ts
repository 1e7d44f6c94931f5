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
/** Held at most; the oldest go first, so a flood cannot fill memory. */
const MAX_HELD = 10_000;

/**
 * The recent AML fixes, in memory only. A fix is personal data (where a person is, by their
 * number); while it matches no incident it is useful only during the call, so it is not written to
 * the log or a table, and a restart forgets it (the phone sends again on its next call). Once it
 * matches an incident it goes on that incident's stream, like the caller's number already does.
 */
export class CallerFixes {
  private held: HeldFix[] = [];

  constructor(private readonly ttlMs: number = AML_FIX_TTL_MS) {}

  put(id: string, fix: AmlFix, now: number): HeldFix {
    this.expire(now);
    const held: HeldFix = { id, fix, receivedAt: now, expiresAt: now + this.ttlMs };
    this.held.push(held);
    if (this.held.length > MAX_HELD) this.held.splice(0, this.held.length - MAX_HELD);
    return held;
  }

  /** The latest unexpired fix from this line, if any. */
  latest(number: string, now: number): HeldFix | undefined {
    this.expire(now);
    for (let i = this.held.length - 1; i >= 0; i--) if (sameLine(this.held[i]!.fix.number, number)) return this.held[i];
    return undefined;
  }

  get size(): number {
    return this.held.length;
  }

  private expire(now: number): void {
    const firstLive = this.held.findIndex((h) => h.expiresAt > now);
    if (firstLive !== 0) this.held.splice(0, firstLive < 0 ? this.held.length : firstLive);
  }
}
