import type { StoredEvent } from '../core/events.ts';
import type { Follower } from '../log/log-tail.ts';

/** Close codes of the console's stream (4000–4999 are the application's). */
export const CLOSE_FELL_BEHIND = 4000;
export const CLOSE_CREDENTIAL_ENDED = 4401;
const CLOSE_INTERNAL = 1011;
const OPEN = 1;

/** The parts of a `ws` server socket the stream uses. */
export interface StreamSocket {
  readonly readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'close' | 'pong', listener: () => void): unknown;
}

/** Where the events come from: the store for catch-up, the tail for live delivery. */
export interface StreamSource {
  readAfter(after: number, limit: number): Promise<readonly StoredEvent[]>;
  readonly tail: { readonly position: number; follow(follower: Follower): () => void };
}

export interface StreamLimits {
  /** Events read from the store per catch-up page. */
  readonly pageSize: number;
  /** Messages a live client may have waiting in memory before it is closed with 4000. */
  readonly maxQueued: number;
  /** A ping every this many ms; a client that did not answer the previous one is dropped. */
  readonly heartbeatMs: number;
}

/** How the client waits: the product's clock (`app.time`), so tests move time by hand. */
export interface Timers {
  /** Runs `fn` once `ms` from now; returns a function that cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export interface StreamClientOptions {
  readonly socket: StreamSocket;
  readonly time: Timers;
  readonly source: StreamSource;
  /** Whether this client may receive an event (see src/read-models/event-visibility.ts). */
  readonly visible: (event: StoredEvent) => boolean;
  /** The seq the client has seen: it receives what follows. */
  readonly after: number;
  readonly limits: StreamLimits;
  /** Whether the credential that opened the stream is still valid (checked at every heartbeat). */
  readonly stillValid?: () => Promise<boolean>;
  readonly onError: (e: unknown) => void;
}

/** One message per event; live events are the same objects for every client, so each is serialized once. */
const serialized = new WeakMap<StoredEvent, string>();
function message(e: StoredEvent): string {
  let m = serialized.get(e);
  if (m === undefined) {
    m = JSON.stringify({ seq: e.seq, type: e.type, at: e.at, actor: e.actor, data: e.data });
    serialized.set(e, m);
  }
  return m;
}

/**
 * One client of `GET /api/stream`. It first catches up from the store, page by page, waiting for
 * the socket to drain before reading the next page (so neither the log nor the backlog is ever
 * held in memory), until a page comes back short and its cursor has reached the tail's position;
 * in that same synchronous step it starts following the tail, so an event is either read from the
 * store or delivered live, never both and never neither. Live, a client that lets more than
 * `maxQueued` messages pile up unsent is closed with 4000: it resumes with `?after=<last seq>`.
 */
export class StreamClient {
  /** The last seq handled, sent or filtered out. */
  private cursor: number;
  /** Messages handed to the socket whose send callback has not fired yet. */
  private queued = 0;
  private live = false;
  private ended = false;
  private unfollow: (() => void) | undefined;
  private cancelBeat: (() => void) | undefined;
  private answered = true;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: StreamClientOptions) {
    this.cursor = o.after;
  }

  start(): void {
    const { socket } = this.o;
    socket.on('close', () => this.stop());
    socket.on('pong', () => {
      this.answered = true;
    });
    this.armBeat();
    this.catchUp().catch((e: unknown) => this.fail(e));
  }

  private async catchUp(): Promise<void> {
    const { source, limits } = this.o;
    for (;;) {
      const page = await source.readAfter(this.cursor, limits.pageSize);
      if (this.ended) return;
      for (const e of page) if (e.seq > this.cursor) this.forward(e);
      await this.drained();
      if (this.ended) return;
      // Nothing is awaited from this check to `follow`: whatever the tail delivers from now on
      // comes live, and everything it delivered before is in the store, at or before the cursor.
      if (page.length < limits.pageSize && this.cursor >= source.tail.position) {
        this.live = true;
        this.unfollow = source.tail.follow((events) => this.deliver(events));
        return;
      }
    }
  }

  private deliver(events: readonly StoredEvent[]): void {
    for (const e of events) {
      if (this.ended) return;
      // The catch-up may have read events from the store before the tail delivered them.
      if (e.seq <= this.cursor) continue;
      this.forward(e);
      if (this.queued > this.o.limits.maxQueued) {
        this.end(CLOSE_FELL_BEHIND, 'fell behind: reconnect with ?after=<the last seq you received>');
        return;
      }
    }
  }

  private forward(e: StoredEvent): void {
    this.cursor = e.seq;
    if (!this.o.visible(e)) return;
    this.queued++;
    this.o.socket.send(message(e), () => {
      if (--this.queued === 0) this.wake();
    });
  }

  /** Resolves once every message sent so far has left for the network (or the client is gone). */
  private drained(): Promise<void> {
    if (this.queued === 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private armBeat(): void {
    this.cancelBeat = this.o.time.after(this.o.limits.heartbeatMs, () => this.beat());
  }

  private beat(): void {
    const { socket } = this.o;
    if (this.ended || socket.readyState !== OPEN) return;
    this.armBeat();
    if (!this.answered) {
      socket.terminate();
      this.stop();
      return;
    }
    this.answered = false;
    socket.ping();
    this.o
      .stillValid?.()
      .then((valid) => {
        if (!valid) this.end(CLOSE_CREDENTIAL_ENDED, 'signed out or credential revoked');
      })
      .catch((e: unknown) => this.o.onError(e));
  }

  private fail(e: unknown): void {
    this.o.onError(e);
    this.end(CLOSE_INTERNAL, 'internal error');
  }

  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.stop();
    this.o.socket.close(code, reason);
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.unfollow?.();
    this.unfollow = undefined;
    this.cancelBeat?.();
    this.wake();
  }

  /** For tests and diagnostics. */
  get state(): { readonly cursor: number; readonly queued: number; readonly live: boolean } {
    return { cursor: this.cursor, queued: this.queued, live: this.live };
  }
}
