import type { DomainEvent, PendingEvent } from '../core/events.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import type { ReceiptField, RecordWrite } from '../store/record-writes.ts';
import { deliveryStream, type ChannelName, type MessageKind } from './messages.ts';

/**
 * Receipts as events. Accepted, declined and expired are the response's own events; the queue adds
 * sent (a channel took the message), delivered (the receiving end confirmed it), seen (the
 * volunteer opened the alert), suppressed (the last check refused it) and undelivered (retries ran
 * out). Each is recorded once per message, on the incident's delivery stream, in the same
 * transaction as the queue change it goes with.
 */
export interface ReceiptLog {
  /**
   * Appends `events` with the table changes `records` in one transaction (through the one writer);
   * false when a `receipt.mark` guard found the receipt already recorded, and nothing was written.
   */
  write(events: readonly PendingEvent[], records: readonly RecordWrite[]): Promise<boolean>;
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
    private readonly outbox: OutboxStore,
    private readonly log: ReceiptLog,
  ) {}

  private event(about: About, now: number, e: DomainEvent): PendingEvent {
    return { ...e, stream: deliveryStream(about.incidentId), at: iso(now) } as PendingEvent;
  }

  private ids(m: About) {
    return { incidentId: m.incidentId, volunteerId: m.volunteerId, alertId: m.alertId };
  }

  private mark(m: About, message: MessageKind, field: ReceiptField, at: number, via?: string): RecordWrite {
    return { type: 'receipt.mark', ...this.ids(m), message, field, at: iso(at), ...(via === undefined ? {} : { via }) };
  }

  /** A channel took the message: it leaves the queue as `sent`. */
  async sent(m: AboutMessage, channels: readonly ChannelName[], attempt: number, now: number): Promise<void> {
    const e = this.event(m, now, {
      type: 'VolunteerAlertSent',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, channels: [...channels], attempt },
    });
    const written = await this.log.write(
      [e],
      [{ type: 'outbox.finish', id: m.id, state: 'sent', attempts: attempt, now, channels }, this.mark(m, m.kind, 'sent', now, channels.join(','))],
    );
    // Sent again after a crash between the send and its receipt: the receipt stands, the row closes.
    if (!written) await this.outbox.finish(m.id, 'sent', attempt, now);
  }

  /** The receiving end confirmed the message (app ack, push service, gateway); once per message. */
  async delivered(m: AboutMessage, channel: ChannelName, now: number): Promise<boolean> {
    if ((await this.outbox.receipt(m.alertId, m.kind))?.deliveredAt !== undefined) return false;
    const e = this.event(m, now, {
      type: 'VolunteerAlertDelivered',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, channel },
    });
    return this.log.write([e], [this.mark(m, m.kind, 'delivered', now, channel)]);
  }

  /** The volunteer opened the alert; once per alert. */
  async seen(a: About, via: 'api' | 'websocket', now: number): Promise<boolean> {
    if ((await this.outbox.receipt(a.alertId, 'alert'))?.seenAt !== undefined) return false;
    const e = this.event(a, now, { type: 'VolunteerAlertSeen', data: { ...this.ids(a), via } });
    return this.log.write([e], [this.mark(a, 'alert', 'seen', now)]);
  }

  /** The last check before sending refused the message: it is never sent. */
  async suppressed(m: AboutMessage, reason: string, rule: string | undefined, attempt: number, now: number): Promise<void> {
    const e = this.event(m, now, {
      type: 'VolunteerAlertSuppressed',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, reason, ...(rule === undefined ? {} : { rule }), attempt },
    });
    const written = await this.log.write(
      [e],
      [{ type: 'outbox.finish', id: m.id, state: 'suppressed', attempts: attempt, now, error: reason }, this.mark(m, m.kind, 'suppressed', now, reason)],
    );
    if (!written) await this.outbox.finish(m.id, 'suppressed', attempt, now, reason);
  }

  /** Retries ran out without any channel taking the message. */
  async undelivered(m: AboutMessage, reason: string, attempts: number, now: number): Promise<void> {
    const e = this.event(m, now, {
      type: 'VolunteerAlertUndelivered',
      data: { ...this.ids(m), message: m.kind, messageId: m.id, reason, attempts },
    });
    await this.log.write([e], [{ type: 'outbox.finish', id: m.id, state: 'undelivered', attempts, now, error: reason }]);
  }
}
