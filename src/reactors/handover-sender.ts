import { systemActor } from '../core/actor.ts';
import { on } from '../core/decision.ts';
import type { DomainEvent, PendingEvent, StoredEvent } from '../core/events.ts';
import type { HandOverState } from '../core/handover-terms.ts';
import { epochMs, type IncidentId } from '../core/ids.ts';
import type { StreamState } from '../core/loaded.ts';
import { incidentStream } from '../core/streams.ts';
import { DELIVERY_HEADER, postSigned, retryLater } from '../alerting/signed-post.ts';
import type { Partner } from '../config/partners-config.ts';
import type { Writer } from '../log/writer.ts';
import type { EventStore } from '../store/event-store.ts';
import { failureText } from '../store/storage-unavailable.ts';
import type { Clock } from '../time/clock.ts';
import { backoffDelay } from '../time/retry-backoff.ts';

/** A document in the partner's format, ready to send; undefined when the incident is gone. */
export interface HandOverDocument {
  readonly contentType: string;
  readonly body: string;
}

export interface HandOverSenderDeps {
  readonly store: EventStore<StreamState>;
  readonly writer: Writer;
  readonly partners: ReadonlyMap<string, Partner>;
  /** The incident as the partner's standard writes it, made afresh for each attempt. */
  readonly render: (h: HandOverState) => Promise<HandOverDocument | undefined>;
  readonly time: Clock;
  /** Uniform in [0, 1): the jitter of retries. */
  readonly random: () => number;
  /** First retry after about this long (ms), doubling up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly timeoutMs?: number;
  readonly log: (line: string) => void;
}

interface Waiting {
  attempts: number;
  cancel?: (() => void) | undefined;
  busy?: Promise<void> | undefined;
}

type Attempt =
  | { readonly kind: 'taken'; readonly partnerIncidentId?: string; readonly acknowledged: boolean }
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string; readonly errors?: { path: string; message: string }[] }
  | { readonly kind: 'retry'; readonly why: string };

/**
 * Sends hand-overs to partner centres. Which ones are still to send is derived from the log: each
 * hand-over has a stream whose status is `requested` until the sender records what the partner
 * made of it, so at start-up the store lists them, and afterwards the log tail announces new ones.
 * A send never runs inside the dispatcher's request (it starts on setImmediate) and never holds up
 * dispatch: a partner that is down is retried with the shared backoff, for as long as it takes;
 * a refusal (any 4xx but 408 and 429) is final and recorded with the partner's reasons.
 */
export class HandOverSender {
  private readonly waiting = new Map<string, Waiting>();
  private closed = false;
  private started = false;

  constructor(private readonly d: HandOverSenderDeps) {}

  /** Picks up the hand-overs a previous run left unsent. */
  async start(): Promise<void> {
    this.started = true;
    const pending = (await this.d.store.list('handover', ['requested'])) as HandOverState[];
    for (const h of pending) this.enqueue(h);
  }

  /** Called with each published batch of the log. */
  notice(events: readonly StoredEvent[]): void {
    // A process that does no background work (a CLI command) leaves hand-overs to the server.
    if (!this.started) return;
    for (const e of events) {
      if (e.type !== 'IncidentHandOverRequested') continue;
      const d = e.data;
      this.enqueue({ ...d, status: 'requested', requestedAt: e.at, updatedAt: e.at });
    }
  }

  /** Hand-overs not yet sent, acknowledged or refused. */
  get pending(): number {
    return this.waiting.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.values()) w.cancel?.();
    await Promise.all([...this.waiting.values()].map((w) => w.busy));
    this.waiting.clear();
  }

  /** A hand-over to send, once: the start-up listing and the log tail may both name it. */
  private enqueue(h: HandOverState): void {
    if (this.closed || this.waiting.has(h.handoverId)) return;
    const w: Waiting = { attempts: 0 };
    this.waiting.set(h.handoverId, w);
    this.schedule(h, w, 0);
  }

  private schedule(h: HandOverState, w: Waiting, waitMs: number): void {
    if (this.closed) return;
    const go = () => {
      w.cancel = undefined;
      w.busy = this.attempt(h, w).finally(() => {
        w.busy = undefined;
      });
    };
    if (waitMs === 0) {
      const t = setImmediate(go);
      w.cancel = () => clearImmediate(t);
    } else w.cancel = this.d.time.after(waitMs, go);
  }

  private async attempt(h: HandOverState, w: Waiting): Promise<void> {
    if (this.closed) return;
    w.attempts++;
    const partner = this.d.partners.get(h.partnerId);
    const result: Attempt =
      partner === undefined ? { kind: 'refused', status: 0, reason: `partner ${h.partnerId} is no longer configured` } : await this.send(h, partner);
    if (result.kind === 'retry') {
      if (w.attempts === 1 || w.attempts % 10 === 0) this.d.log(`hand-over ${h.handoverId} to ${h.partnerId}: attempt ${w.attempts} failed, retrying with backoff: ${result.why}`);
      this.retry(h, w);
      return;
    }
    const base = { incidentId: h.incidentId, handoverId: h.handoverId, partnerId: h.partnerId };
    const facts: DomainEvent[] =
      result.kind === 'taken'
        ? [
            { type: 'IncidentHandOverSent', data: { ...base, attempts: w.attempts } },
            ...(result.acknowledged
              ? [{ type: 'IncidentHandOverAcknowledged' as const, data: { ...base, ...(result.partnerIncidentId === undefined ? {} : { partnerIncidentId: result.partnerIncidentId }) } }]
              : []),
          ]
        : [
            {
              type: 'IncidentHandOverRefused',
              data: { ...base, attempts: w.attempts, reason: result.reason, ...(result.status > 0 ? { status: result.status } : {}), ...(result.errors ? { errors: result.errors } : {}) },
            },
          ];
    const now = epochMs(this.d.time.now());
    const events: PendingEvent[] = facts.map((f) => on(incidentStream(h.incidentId as IncidentId), now, f));
    try {
      const outcome = await this.d.writer.record(events, { actor: systemActor('handover') });
      if (!outcome.ok) throw new Error(outcome.message);
    } catch (e) {
      // The partner has it (it de-duplicates by the hand-over's id); the record is what is retried.
      this.d.log(`hand-over ${h.handoverId}: the partner's answer was not recorded, sending again later: ${failureText(e)}`);
      this.retry(h, w);
      return;
    }
    this.waiting.delete(h.handoverId);
  }

  private retry(h: HandOverState, w: Waiting): void {
    this.schedule(h, w, backoffDelay(w.attempts, { baseMs: this.d.backoffMs ?? 1000, maxMs: this.d.maxBackoffMs ?? 60_000, random: this.d.random }));
  }

  private async send(h: HandOverState, partner: Partner): Promise<Attempt> {
    let doc: HandOverDocument | undefined;
    try {
      doc = await this.d.render(h);
    } catch (e) {
      return { kind: 'retry', why: `the document could not be made: ${failureText(e)}` };
    }
    if (doc === undefined) return { kind: 'refused', status: 0, reason: `incident ${h.incidentId} is gone` };
    const sent = await postSigned(partner.url, {
      contentType: doc.contentType,
      body: doc.body,
      key: partner.key,
      now: this.d.time.now(),
      timeoutMs: this.d.timeoutMs ?? 10_000,
      headers: { accept: 'application/json', [DELIVERY_HEADER]: h.handoverId },
    });
    if (sent.kind === 'unreachable') return { kind: 'retry', why: sent.why };
    const res = sent;
    const answer = parseJson(sent.text);
    if (res.status >= 200 && res.status < 300) {
      const ack = answer as { acknowledged?: unknown; incidentId?: unknown } | undefined;
      return {
        kind: 'taken',
        acknowledged: ack?.acknowledged === true,
        ...(typeof ack?.incidentId === 'string' ? { partnerIncidentId: ack.incidentId } : {}),
      };
    }
    if (retryLater(res.status)) return { kind: 'retry', why: `${partner.url} answered ${res.status}` };
    const error = (answer as { error?: { code?: unknown; message?: unknown; details?: { errors?: unknown } } } | undefined)?.error;
    const errors = Array.isArray(error?.details?.errors)
      ? (error.details.errors as unknown[])
          .filter((x): x is { path: unknown; message: unknown } => typeof x === 'object' && x !== null)
          .slice(0, 50)
          .map((x) => ({ path: String(x.path), message: String(x.message) }))
      : undefined;
    const reason = [typeof error?.code === 'string' ? error.code : `HTTP ${res.status}`, typeof error?.message === 'string' ? error.message : '']
      .filter((s) => s !== '')
      .join(': ')
      .slice(0, 500);
    return { kind: 'refused', status: res.status, reason, ...(errors === undefined ? {} : { errors }) };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
