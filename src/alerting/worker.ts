import { frameOf, type Channel, type ChannelName, type OutboxMessage, type Target } from './messages.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import { failureText } from '../store/storage-unavailable.ts';
import type { Clock } from '../time/clock.ts';
import { backoffDelay, RetryBackoff } from '../time/retry-backoff.ts';
import type { Receipts } from './receipts.ts';

/**
 * The last check before a message leaves the queue, asked right before each send and each retry
 * with the states of that moment (see core/alert-delivery.ts `deliverable`).
 * `skip`: nothing to tell (no receipt); otherwise a refusal is recorded as suppressed.
 */
export type GateAnswer =
  | { readonly deliver: true; readonly target: Target }
  | { readonly deliver: false; readonly reason: string; readonly rule?: string; readonly skip?: boolean };

export interface DeliveryGate {
  check(m: OutboxMessage, now: number): GateAnswer | Promise<GateAnswer>;
}

export interface WorkerOptions {
  /** First retry after this many ms; doubled each time up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Attempts before a message is given up as undelivered. */
  readonly maxAttempts?: number;
  readonly batch?: number;
  /** Called when a message is handed to a channel (the latency benchmark's clock). */
  readonly onHandOff?: (m: OutboxMessage, channel: ChannelName, atMs: number) => void;
  /** Uniform in [0, 1): the jitter of retries (default Math.random; tests pass a seeded one). */
  readonly random?: () => number;
  /**
   * Where the one line per change between failing and working goes: after a run that failed (the
   * queue could not be read or written, a full disk) the worker waits `backoffMs`, doubled up to
   * `maxBackoffMs`, and an error is logged once, not once per attempt.
   */
  readonly log?: (line: string) => void;
}

/**
 * Drains the outbox: right after an append (`kick`, on setImmediate, never inside the request that
 * appended), and when a retry falls due. Messages of one volunteer go out in order; different
 * volunteers in parallel. For each message: check the gate; hand it to every app channel that
 * reaches the volunteer (WebSocket, Web Push), and to the fallback (the SMS/voice webhook) only
 * when no app channel took it. Failures are retried with exponential backoff and jitter: a
 * message's own, and the whole queue's when the store cannot be read or written.
 */
export class DeliveryWorker {
  private running: Promise<void> | undefined;
  private again = false;
  /** Cancels the wake-up armed for the next due message. */
  private cancelTimer: (() => void) | undefined;
  private closed = false;
  private paused = false;
  /** The first error of the run in progress: the run stops, and the queue waits before the next one. */
  private failure: { readonly e: unknown } | undefined;
  private readonly outage: RetryBackoff;
  private readonly o: Required<Omit<WorkerOptions, 'onHandOff'>> & Pick<WorkerOptions, 'onHandOff'>;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly channels: readonly Channel[],
    private readonly gate: DeliveryGate,
    private readonly receipts: Receipts,
    private readonly clock: Clock,
    options: WorkerOptions = {},
  ) {
    this.o = { backoffMs: 1000, maxBackoffMs: 30_000, maxAttempts: 12, batch: 200, random: Math.random, log: (line) => process.stderr.write(`${line}\n`), ...options };
    this.outage = new RetryBackoff('alert delivery', this.o.log, { baseMs: this.o.backoffMs, maxMs: this.o.maxBackoffMs, random: this.o.random });
  }

  /** Schedules a drain on the next turn of the event loop. */
  kick(): void {
    if (this.closed || this.paused) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.loop())
      .catch((e: unknown) => this.fail(e))
      .finally(() => {
        this.running = undefined;
        const failure = this.failure;
        this.failure = undefined;
        if (failure !== undefined) this.backOff(failure.e);
        else {
          this.outage.succeeded('queue', this.clock.now());
          if (this.again) {
            this.again = false;
            this.kick();
          } else this.arm().catch((e: unknown) => this.backOff(e));
        }
      });
  }

  private fail(e: unknown): void {
    this.failure ??= { e };
  }

  /**
   * After a failed run the queue waits, longer after each failure in a row, instead of re-arming
   * at the message still due now (which would retry thousands of times a second on a full disk).
   */
  private backOff(e: unknown): void {
    this.again = false;
    if (this.closed) return;
    const wait = this.outage.failed('queue', failureText(e), this.clock.now());
    this.disarm();
    this.cancelTimer = this.clock.after(wait, () => {
      this.cancelTimer = undefined;
      this.kick();
    });
  }

  /** Drains now and resolves when nothing due is left (tests with a manual clock, the benchmark). */
  async drain(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Resolves once no run is in flight, without starting one (a retry waiting for its time stays waiting). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops sending until resume() (tests use it to change a volunteer between decision and delivery). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.disarm();
    while (this.running) await this.running;
  }

  private async arm(): Promise<void> {
    if (this.closed || this.paused) return;
    const next = await this.outbox.nextDueAt();
    if (this.closed || this.paused || this.running) return;
    this.disarm();
    if (next === undefined) return;
    this.cancelTimer = this.clock.after(Math.max(0, next - this.clock.now()), () => {
      this.cancelTimer = undefined;
      this.kick();
    });
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.again = false;
      const due = await this.outbox.due(this.clock.now(), this.o.batch);
      if (due.length === 0 || this.closed || this.paused) return;
      const byVolunteer = new Map<string, OutboxMessage[]>();
      for (const m of due) byVolunteer.set(m.volunteerId, [...(byVolunteer.get(m.volunteerId) ?? []), m]);
      await Promise.all(
        [...byVolunteer.values()].map(async (queue) => {
          for (const m of queue) {
            if (this.failure !== undefined) return;
            await this.deliver(m).catch((e: unknown) => this.fail(e));
          }
        }),
      );
      if (this.failure !== undefined || (due.length < this.o.batch && !this.again)) return;
    }
  }

  private async deliver(m: OutboxMessage): Promise<void> {
    const now = this.clock.now();
    const attempt = m.attempts + 1;
    const verdict = await this.gate.check(m, now);
    if (!verdict.deliver) {
      if (verdict.skip === true) await this.outbox.finish(m.id, 'skipped', attempt, now, verdict.reason);
      else await this.receipts.suppressed(m, verdict.reason, verdict.rule, attempt, now);
      return;
    }
    const frame = frameOf(m);
    const took: ChannelName[] = [];
    const confirmed: ChannelName[] = [];
    const errors: string[] = [];
    let retryable = false;
    const tryTier = async (tier: 'app' | 'fallback') => {
      const reaching = this.channels.filter((c) => c.tier === tier && c.reaches(verdict.target));
      const results = await Promise.all(
        reaching.map(async (c) => {
          this.o.onHandOff?.(m, c.name, performance.now());
          return { c, r: await c.send(frame, m, verdict.target).catch((e: unknown) => ({ ok: false as const, retry: true, error: String(e) })) };
        }),
      );
      for (const { c, r } of results) {
        if (r.ok) {
          took.push(c.name);
          if (r.delivered) confirmed.push(c.name);
        } else {
          errors.push(`${c.name}: ${r.error}`);
          retryable ||= r.retry;
        }
      }
      return reaching.length;
    };
    const appReached = await tryTier('app');
    if (took.length === 0) await tryTier('fallback');
    const done = this.clock.now();
    if (took.length > 0) {
      try {
        await this.receipts.sent(m, took, attempt, done);
      } catch (e) {
        // The message went out but its receipt was not written: it stays pending, so hold it back
        // for a backoff instead of sending it again at once, in a loop.
        this.fail(e);
        await this.outbox.retry(m.id, attempt, Math.round(done + this.o.backoffMs), `sent, but the receipt was not written: ${String(e)}`);
        return;
      }
      for (const c of confirmed) await this.receipts.delivered(m, c, done);
      return;
    }
    const error = errors.length > 0 ? errors.join('; ') : appReached === 0 ? 'no channel reaches the volunteer' : 'no channel took it';
    if (attempt >= this.o.maxAttempts || (errors.length > 0 && !retryable)) {
      await this.receipts.undelivered(m, error, attempt, done);
      return;
    }
    const wait = backoffDelay(attempt, { baseMs: this.o.backoffMs, maxMs: this.o.maxBackoffMs, random: this.o.random });
    await this.outbox.retry(m.id, attempt, done + wait, error);
  }
}
