import { haversine, type LatLon } from '../core/lat-lon.ts';

export interface Fix {
  readonly location: LatLon;
  /** Epoch ms of the fix. */
  readonly at: number;
}

export interface SamplingPolicy {
  /** Write a fix to the log at least this often per unit (ms)... */
  readonly everyMs: number;
  /** ...or as soon as the unit has moved this far since the last written fix (m)... */
  readonly movedM: number;
  /** ...but never twice within this interval (ms): a feed that sends bursts does not flood the log. */
  readonly minIntervalMs: number;
  /** Fixes older than this are stale and not trusted for recommendations (ms). */
  readonly staleAfterMs: number;
}

export const DEFAULT_SAMPLING: SamplingPolicy = { everyMs: 60_000, movedM: 250, minIntervalMs: 5_000, staleAfterMs: 300_000 };

/**
 * The latest position of each moving unit, in memory. Every fix lands here at once; only a sample
 * goes to the log, so the log is not flooded by GPS chatter.
 */
export class LivePositions {
  private readonly live = new Map<string, Fix>();
  private readonly written = new Map<string, Fix>();

  constructor(private readonly policy: SamplingPolicy = DEFAULT_SAMPLING) {}

  /** Seeds a unit with its last fix from the log (at start-up). */
  seed(id: string, fix: Fix): void {
    this.live.set(id, fix);
    this.written.set(id, fix);
  }

  /** Takes a fix; returns true when this fix should also be written to the log. */
  update(id: string, fix: Fix): boolean {
    const prior = this.live.get(id);
    if (prior && prior.at > fix.at) return false; // out-of-order fix: keep the newer one
    this.live.set(id, fix);
    const last = this.written.get(id);
    const since = last === undefined ? Infinity : fix.at - last.at;
    const due =
      since >= this.policy.everyMs ||
      (since >= this.policy.minIntervalMs && haversine(last!.location, fix.location) >= this.policy.movedM);
    if (due) this.written.set(id, fix);
    return due;
  }

  /**
   * A fix another node took and passed on: it is the unit's latest here too (what the reads and the
   * recommendation use), but the log's sampling stays with the node that took it.
   */
  relayed(id: string, fix: Fix): void {
    const prior = this.live.get(id);
    if (prior === undefined || prior.at <= fix.at) this.live.set(id, fix);
  }

  /** The latest fix if it is fresh at `now` (epoch ms). */
  fresh(id: string, now: number): Fix | undefined {
    const f = this.live.get(id);
    return f && now - f.at <= this.policy.staleAfterMs ? f : undefined;
  }

  get(id: string): Fix | undefined {
    return this.live.get(id);
  }
}
