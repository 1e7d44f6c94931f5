import type { DomainEvent, PendingEvent } from '../core/events.ts';
import { deliveryStream, type ChannelName, type MessageKind } from './messages.ts';
import type { AlertOutbox } from './outbox.ts';

/**
 * Receipts as events. Accepted, declined and expired are the response's own events; the queue adds
 * sent (a channel took the message), delivered (the receiving end confirmed it), seen (the
 * volunteer opened the alert), suppressed (the last check refused it) and undelivered (retries ran
 * out). Each is recorded once per message, on the incident's delivery stream, in the same
 * transaction as the outbox row it finishes.
 */
export interface ReceiptLog {
  /** Appends `events` and runs `change` in one transaction, then publishes the stored events. */
  write(events: readonly PendingEvent[], change: () => void): void;
}

interface About {
  readonly incidentId: string;
  readonly volunteerId: string;
  readonly alertId: string;
}
interface AboutMessage extends About {
  readonly id: number;
  readonly kind: MessageKind;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class Receipts {
  constructor(
    private readonly outbox: AlertOutbox,
    private readonly log: ReceiptLog,
  ) {}

  private event(about: About, now: number, e: DomainEvent): PendingEvent {
    return { ...e, stream: deliveryStream(about.incidentId), at: iso(now) } as PendingEvent;
  }

  private ids(m: About) {
    return { incidentId: m.incidentId, volunteerId: m.volunteerId, alertId: m.alertId };
  }

  /** A channel took the message: it leaves the queue as `sent`. */
  sent(m: AboutMessage, channels: readonly ChannelName[], attempt: number, now: number, finish: () => void): void {
    const e = this.event(m, now, {
      type: 'VolunteerAlertSent',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, channels: [...channels], attempt },
    });
    this.log.write([e], () => {
      finish();
      this.outbox.markReceipt(m, m.kind, 'sent', { at: iso(now), via: channels.join(',') });
    });
  }

  /** The receiving end confirmed the message (app ack, push service, gateway); once per message. */
  delivered(m: AboutMessage, channel: ChannelName, now: number): boolean {
    if (this.outbox.receipt(m.alertId, m.kind)?.deliveredAt !== undefined) return false;
    const e = this.event(m, now, {
      type: 'VolunteerAlertDelivered',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, channel },
    });
    return this.once(e, () => this.outbox.markReceipt(m, m.kind, 'delivered', { at: iso(now), via: channel }));
  }

  /** The volunteer opened the alert; once per alert. */
  seen(a: About, via: 'api' | 'websocket', now: number): boolean {
    if (this.outbox.receipt(a.alertId, 'alert')?.seenAt !== undefined) return false;
    const e = this.event(a, now, { type: 'VolunteerAlertSeen', data: { ...this.ids(a), via } });
    return this.once(e, () => this.outbox.markReceipt(a, 'alert', 'seen', { at: iso(now) }));
  }

  /** Writes `e` only if `mark` sets its receipt column (still unset): a receipt is an event once. */
  private once(e: PendingEvent, mark: () => boolean): boolean {
    try {
      this.log.write([e], () => {
        if (!mark()) throw new AlreadyRecorded();
      });
      return true;
    } catch (err) {
      if (err instanceof AlreadyRecorded) return false;
      throw err;
    }
  }

  /** The last check before sending refused the message: it is never sent. */
  suppressed(m: AboutMessage, reason: string, rule: string | undefined, attempt: number, now: number, finish: () => void): void {
    const e = this.event(m, now, {
      type: 'VolunteerAlertSuppressed',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, reason, ...(rule === undefined ? {} : { rule }), attempt },
    });
    this.log.write([e], () => {
      finish();
      this.outbox.markReceipt(m, m.kind, 'suppressed', { at: iso(now), via: reason });
    });
  }

  /** Retries ran out without any channel taking the message. */
  undelivered(m: AboutMessage, reason: string, attempts: number, now: number, finish: () => void): void {
    const e = this.event(m, now, {
      type: 'VolunteerAlertUndelivered',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, reason, attempts },
    });
    this.log.write([e], finish);
  }
}

class AlreadyRecorded extends Error {}
