import type { Command } from '../core/commands.ts';
import type { StoredEvent } from '../core/events.ts';
import { epochMs } from '../core/ids.ts';
import type { StreamState } from '../core/loaded.ts';
import { deadlinesOf, dueTimers } from '../core/response-timers.ts';
import { responseStream } from '../core/streams.ts';
import type { ResponseState } from '../core/volunteer-response.ts';
import type { EventStore } from '../store/event-store.ts';
import { systemActor } from '../core/actor.ts';
import type { Writer } from '../log/writer.ts';
import type { Clock } from '../time/clock.ts';
import { RetryBackoff } from '../time/retry-backoff.ts';
import { failureText, StorageUnavailable } from '../store/storage-unavailable.ts';

/** The key of the hourly sweep among the failures the backoff tracks (incident ids are the others). */
const HOUSEKEEPING = 'housekeeping';

export interface TimerDeps {
  readonly store: EventStore<StreamState>;
  readonly writer: Writer;
  /** Reads the time and wakes the scheduler when a deadline falls due. */
  readonly clock: Clock;
  /** Periodic housekeeping (the alert audit's retention purge), run at start and every `housekeepingMs`. */
  readonly housekeeping?: (now: number) => Promise<unknown>;
  readonly housekeepingMs?: number;
  readonly onError?: (e: unknown) => void;
  /** Uniform in [0, 1): the jitter of retries after a failed firing. */
  readonly random: () => number;
  /** Where the one line per change between failing and working goes. */
  readonly log: (line: string) => void;
  /** The first retry after a failed firing (ms, default 500), doubled each time up to `retryMaxMs` (30 s). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /**
   * Runs one incident's firing holding the claim on `key` (Cluster.claim): with several nodes, the
   * one that holds it fires and the others look again `claimRetryMs` later (default 1 s), to find
   * the deadline done, or still due if that node died. Alone, omit it.
   */
  readonly claim?: (key: string, fn: () => Promise<void>) => Promise<{ readonly claimed: boolean }>;
  readonly claimRetryMs?: number;
}

const ACTOR = { actor: systemActor('timer') } as const;
/** After a version conflict a deadline is tried again this much later. */
const CONFLICT_RETRY_MS = 200;
/** A deadline another node holds the claim on is looked at again this much later. */
const CLAIM_RETRY_MS = 1_000;

/**
 * Fires the persisted deadlines of volunteer responses: the next wave's `dueAt`
 * (VolunteerWaveScheduled) and each alert's `expiresAt` (VolunteerAlerted). The deadlines live in
 * the responses' snapshots, not here: this only keeps the earliest one per incident and a single
 * wake-up on the clock at the earliest of all. When it fires, the response's snapshot is read
 * again and `dueTimers` gives the commands due; the core accepts each once and rejects a repeat
 * (WaveNotScheduled, AlertNotOpen), so after a restart — which re-reads every alerting
 * response — a due wave or expiry happens exactly once. With several nodes, each arms the
 * deadlines it reads from the log and fires an incident's only while holding its claim.
 */
export class TimerScheduler {
  /** Incident → epoch ms of its earliest deadline. */
  private readonly earliest = new Map<string, number>();
  /** Deadlines the core refused for a reason other than "already done", not to be retried in this process. */
  private readonly refused = new Set<string>();
  /** Cancels the wake-up at the earliest deadline. */
  private cancelTimer: (() => void) | undefined;
  private cancelHousekeeping: (() => void) | undefined;
  /** The housekeeping runs, one after the other, and how many are not finished. */
  private sweeping: Promise<void> = Promise.resolve();
  private sweeps = 0;
  private running: Promise<void> | undefined;
  private closed = false;
  /** Firings that failed (a full disk), per incident: tried again later and later, not at once in a loop. */
  private readonly retries: RetryBackoff;

  constructor(private readonly d: TimerDeps) {
    const o = { random: d.random, ...(d.retryBaseMs === undefined ? {} : { baseMs: d.retryBaseMs }), ...(d.retryMaxMs === undefined ? {} : { maxMs: d.retryMaxMs }) };
    this.retries = new RetryBackoff('volunteer timers', d.log, o);
  }

  /** Reads every alerting response, arms its deadlines and fires those already due. */
  async start(): Promise<void> {
    const alerting = (await this.d.store.list('response', ['alerting'], 1_000_000)) as ResponseState[];
    for (const s of alerting) this.track(s);
    const housekeeping = this.d.housekeeping;
    if (housekeeping) {
      await housekeeping(this.d.clock.now());
      const every = this.d.housekeepingMs ?? 60 * 60_000;
      const sweep = () => {
        if (this.closed) return;
        const now = this.d.clock.now();
        this.sweeps++;
        // A refusing disk is noted like a failed firing (one line when it starts, one when it ends);
        // the next sweep is the retry. Anything else is a fault for onError.
        this.sweeping = this.sweeping
          .then(() => housekeeping(now))
          .then(
            () => this.retries.succeeded(HOUSEKEEPING, now),
            (e: unknown) => (e instanceof StorageUnavailable ? void this.retries.failed(HOUSEKEEPING, failureText(e), now) : this.d.onError?.(e)),
          )
          .finally(() => this.sweeps--);
        this.cancelHousekeeping = this.d.clock.after(every, sweep);
      };
      this.cancelHousekeeping = this.d.clock.after(every, sweep);
    }
    await this.fireDue();
  }

  /** A firing or a housekeeping run is in flight. */
  get busy(): boolean {
    return this.running !== undefined || this.sweeps > 0;
  }

  /** Resolves once no firing and no housekeeping is in flight. */
  async idle(): Promise<void> {
    while (this.busy) {
      await this.running;
      await this.sweeping;
    }
  }

  /** Follows the log: a scheduled wave or a new alert brings a deadline. */
  notice(events: readonly StoredEvent[]): void {
    let changed = false;
    for (const e of events) {
      const due =
        e.type === 'VolunteerWaveScheduled'
          ? { incidentId: e.data.incidentId, at: e.data.dueAt }
          : e.type === 'VolunteerAlerted'
            ? { incidentId: e.data.incidentId, at: e.data.expiresAt }
            : undefined;
      if (due === undefined) continue;
      const ms = Date.parse(due.at);
      const prior = this.earliest.get(due.incidentId);
      if (prior === undefined || ms < prior) {
        this.earliest.set(due.incidentId, ms);
        changed = true;
      }
    }
    if (changed) this.arm();
  }

  /** The deadlines armed (incident → earliest ISO time), for tests and the status page. */
  armed(): Record<string, string> {
    return Object.fromEntries([...this.earliest].map(([k, v]) => [k, new Date(v).toISOString()]));
  }

  private track(s: ResponseState): void {
    const next = deadlinesOf(s).find((d) => !this.refused.has(keyOf(d.command)));
    if (next === undefined) this.earliest.delete(s.incidentId);
    else this.earliest.set(s.incidentId, Date.parse(next.at));
  }

  private arm(): void {
    if (this.closed) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.earliest.size === 0) return;
    const first = Math.min(...this.earliest.values());
    this.cancelTimer = this.d.clock.after(Math.max(0, first - this.d.clock.now()), () => {
      this.cancelTimer = undefined;
      this.fireDue().catch((e: unknown) => this.d.onError?.(e));
    });
  }

  /** Fires every deadline due at the clock's now (tests with a manual clock call this after moving it). */
  async fireDue(): Promise<void> {
    while (this.running) await this.running;
    if (this.closed) return;
    this.running = this.fire().finally(() => {
      this.running = undefined;
      this.arm();
    });
    await this.running;
  }

  private async fire(): Promise<void> {
    const now = this.d.clock.now();
    const due = [...this.earliest].filter(([, at]) => at <= now).map(([id]) => id);
    for (const incidentId of due) {
      try {
        const claim = this.d.claim;
        if (claim === undefined) await this.fireIncident(incidentId, now);
        else if (!(await claim(`timer:${incidentId}`, () => this.fireIncident(incidentId, now))).claimed) {
          this.earliest.set(incidentId, now + (this.d.claimRetryMs ?? CLAIM_RETRY_MS));
          continue;
        }
        this.retries.succeeded(incidentId, now);
      } catch (e) {
        // Still due: without a later deadline the wake-up would fire it again at once, in a loop.
        this.earliest.set(incidentId, now + this.retries.failed(incidentId, failureText(e), now));
      }
    }
  }

  private async fireIncident(incidentId: string, now: number): Promise<void> {
    const stream = responseStream(incidentId);
    const load = async () => (await this.d.store.load([stream])).get(stream)?.state as ResponseState | undefined;
    let s = await load();
    for (const command of s === undefined ? [] : dueTimers(s, epochMs(now)).filter((c) => !this.refused.has(keyOf(c)))) {
      const outcome = await this.d.writer.execute(command, ACTOR);
      if (!outcome.ok) {
        if (outcome.code === 'VersionConflict') {
          this.earliest.set(incidentId, now + CONFLICT_RETRY_MS);
          return;
        }
        // Already done elsewhere (AlertNotOpen, WaveNotScheduled…) or no longer possible: do not fire again here.
        this.refused.add(keyOf(command));
      }
    }
    s = await load();
    if (s === undefined) this.earliest.delete(incidentId);
    else this.track(s);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelHousekeeping?.();
    while (this.running) await this.running;
    await this.sweeping;
  }
}

function keyOf(c: Command): string {
  if (c.type === 'SendNextWave') return `wave:${c.incidentId}:${c.wave}`;
  if (c.type === 'ExpireAlert') return `expire:${c.alertId}`;
  return c.type;
}
