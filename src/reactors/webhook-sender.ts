import type { EventType, StoredEvent } from '../core/events.ts';
import { parseStream } from '../core/streams.ts';
import { DELIVERY_HEADER, EVENT_HEADER, postSigned, retryLater } from '../alerting/signed-post.ts';
import type { WebhookSubscriber } from '../config/webhooks-config.ts';
import { canSee, type EventReader } from '../read-models/event-visibility.ts';
import { publicEvent } from '../read-models/public-event.ts';
import type { EventStore } from '../store/event-store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import { failureText } from '../store/storage-unavailable.ts';
import type { Clock } from '../time/clock.ts';
import { RetryBackoff } from '../time/retry-backoff.ts';

/** The incident an EIDO document describes. */
export const INCIDENT_HEADER = 'x-samaritan-incident';

/** The changes of an incident after which a subscriber that asked for EIDO gets the incident's document. */
export const EIDO_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'IncidentReceived',
  'IncidentDetailsUpdated',
  'IncidentStatusChanged',
  'UnitsDispatched',
  'IncidentMerged',
  'DuplicateMerged',
]);

/**
 * A subscriber reads what an integration token with `events:read` reads in GET /api/events: the
 * domain events, never the account audit streams (sign-ins with their addresses, tokens, staff
 * reads of personal data).
 */
const SUBSCRIBER: EventReader = { role: 'integration', scopes: ['events:read'] };

const PAGE = 500;

export interface WebhookSenderDeps {
  readonly store: Pick<EventStore<unknown>, 'readAfter' | 'headSeq'>;
  /** Where each subscriber's cursor is kept (`webhook:<id>`). */
  readonly cursors: Pick<OutboxStore, 'followerCursor' | 'moveFollowerCursor'>;
  readonly subscribers: readonly WebhookSubscriber[];
  /** The incident's EIDO document as JSON, made when it is sent; undefined when the incident is gone. */
  readonly eido: (incidentId: string) => Promise<string | undefined>;
  readonly time: Clock;
  /** Uniform in [0, 1): the jitter of retries. */
  readonly random: () => number;
  /** First retry after about this long (ms), doubling up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long a subscriber may take to answer (ms) before the request is dropped and retried. */
  readonly timeoutMs?: number;
  readonly log: (line: string) => void;
}

interface Post {
  readonly part: 'event' | 'eido';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: () => Promise<string | undefined>;
}

/**
 * Integration webhooks: each subscriber follows the log by seq with a cursor of its own, kept in
 * the store beside the alert queue's, and gets every event it subscribes to, in log order, as the
 * JSON of GET /api/events, signed like every request we send; with `eido`, every change of an
 * incident is followed by the incident's EIDO document as it is when sent.
 *
 * A subscriber that does not answer, or answers 408, 429 or 5xx, gets the same request again after
 * the shared backoff, for as long as it takes, and nothing after it meanwhile (its order is kept);
 * any other 4xx refuses that request, which is logged and passed. The cursor moves after each
 * answer, so a restart resumes after the last event answered: nothing is lost, and a request is
 * sent twice only when the process stopped between the answer and the cursor's move (the
 * `x-samaritan-delivery` header, `<seq>` or `<seq>-eido`, lets the subscriber tell). It runs beside
 * the request path, on setImmediate, one lane per subscriber: no request waits for a subscriber.
 */
export class WebhookSender {
  private readonly lanes: Lane[];
  private started = false;

  constructor(d: WebhookSenderDeps) {
    this.lanes = d.subscribers.map((s) => new Lane(s, d));
  }

  /** Catches up from each cursor; a subscriber seen for the first time starts at the log's head. */
  async start(): Promise<void> {
    this.started = true;
    for (const lane of this.lanes) await lane.start();
  }

  /** Called with each published batch of the log. */
  notice(events: readonly StoredEvent[]): void {
    // A process that does no background work (a CLI command) leaves the webhooks to the server.
    if (!this.started) return;
    for (const lane of this.lanes) if (events.some((e) => lane.wants(e))) lane.kick();
  }

  /** Resolves when no lane is sending (a lane waiting to retry counts as idle). */
  async idle(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.idle()));
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.close()));
  }
}

class Lane {
  private readonly name: string;
  private readonly retries: RetryBackoff;
  private readonly abort = new AbortController();
  private cursor = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private cancelWait: (() => void) | undefined;
  /** The parts of the event after the cursor already answered, so that a retry does not repeat them. */
  private answered: { seq: number; parts: Set<Post['part']> } = { seq: 0, parts: new Set() };

  constructor(
    private readonly s: WebhookSubscriber,
    private readonly d: WebhookSenderDeps,
  ) {
    this.name = `webhook:${s.id}`;
    this.retries = new RetryBackoff(`webhook ${s.id}`, d.log, {
      random: d.random,
      baseMs: d.backoffMs ?? 1000,
      maxMs: d.maxBackoffMs ?? 60_000,
    });
  }

  async start(): Promise<void> {
    const at = await this.d.cursors.followerCursor(this.name);
    if (at === undefined) {
      // What happened before the subscriber existed is in GET /api/events, not sent.
      this.cursor = await this.d.store.headSeq();
      await this.d.cursors.moveFollowerCursor(this.name, this.cursor);
    } else this.cursor = at;
    this.kick();
  }

  wants(e: StoredEvent): boolean {
    return this.posts(e).length > 0;
  }

  kick(): void {
    if (this.closed || this.cancelWait !== undefined) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .catch((e: unknown) => this.retryLater(failureText(e)))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelWait?.();
    this.cancelWait = undefined;
    this.abort.abort();
    await this.idle();
  }

  /** Sends what follows the cursor, in order, until the log's end or a subscriber that must be retried. */
  private async run(): Promise<void> {
    for (;;) {
      const page = await this.d.store.readAfter(this.cursor, PAGE);
      if (page.length === 0) return;
      let passed = this.cursor;
      for (const e of page) {
        const posts = this.posts(e);
        for (const p of posts) {
          if (this.closed) return;
          if (this.answered.seq === e.seq && this.answered.parts.has(p.part)) continue;
          const outcome = await this.send(e, p);
          if (outcome !== undefined) {
            // The events passed over before this one need no second look.
            if (passed > this.cursor) await this.move(passed);
            this.retryLater(outcome);
            return;
          }
          if (this.answered.seq !== e.seq) this.answered = { seq: e.seq, parts: new Set() };
          this.answered.parts.add(p.part);
        }
        passed = e.seq;
        if (posts.length > 0) await this.move(e.seq);
      }
      if (passed > this.cursor) await this.move(passed);
      if (page.length < PAGE) return;
    }
  }

  private async move(seq: number): Promise<void> {
    await this.d.cursors.moveFollowerCursor(this.name, seq);
    this.cursor = seq;
  }

  private retryLater(why: string): void {
    if (this.closed) return;
    this.again = false;
    const wait = this.retries.failed('delivery', why, this.d.time.now());
    this.cancelWait = this.d.time.after(wait, () => {
      this.cancelWait = undefined;
      this.kick();
    });
  }

  /** The requests one event makes for this subscriber, in the order they go. */
  private posts(e: StoredEvent): Post[] {
    if (!canSee(SUBSCRIBER, e)) return [];
    const posts: Post[] = [];
    if (this.s.events === 'all' || this.s.events.includes(e.type)) {
      posts.push({ part: 'event', headers: { [EVENT_HEADER]: e.type, [DELIVERY_HEADER]: String(e.seq) }, body: () => Promise.resolve(JSON.stringify(publicEvent(e))) });
    }
    const incident = parseStream(e.stream);
    if (this.s.eido && EIDO_EVENTS.has(e.type) && incident?.kind === 'incident') {
      posts.push({
        part: 'eido',
        headers: { [EVENT_HEADER]: 'eido', [DELIVERY_HEADER]: `${e.seq}-eido`, [INCIDENT_HEADER]: incident.id },
        body: () => this.d.eido(incident.id),
      });
    }
    return posts;
  }

  /** Sends one request; undefined once it is answered (taken or refused), else why it must be retried. */
  private async send(e: StoredEvent, p: Post): Promise<string | undefined> {
    let body: string | undefined;
    try {
      body = await p.body();
    } catch (err) {
      return `the ${p.part} of event ${e.seq} could not be made: ${failureText(err)}`;
    }
    // An incident that is gone has no document to send.
    if (body === undefined) return undefined;
    const answer = await postSigned(this.s.url, {
      contentType: 'application/json',
      body,
      key: this.s.key,
      now: this.d.time.now(),
      timeoutMs: this.d.timeoutMs ?? 10_000,
      headers: p.headers,
      signal: this.abort.signal,
    });
    if (answer.kind === 'unreachable') return answer.why;
    if (retryLater(answer.status)) return `${this.s.url} answered ${answer.status}`;
    this.retries.succeeded('delivery', this.d.time.now());
    if (answer.status >= 300) {
      this.d.log(`webhook ${this.s.id}: ${this.s.url} refused the ${p.part} of event ${e.seq} (${e.type}) with ${answer.status}; it is not sent again`);
    }
    return undefined;
  }
}
