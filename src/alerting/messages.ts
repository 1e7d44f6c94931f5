import type { DeliveryMessageKind } from '../core/events.ts';
import type { OutboxMessage } from '../store/outbox-store.ts';

/**
 * What the delivery queue carries to a volunteer's devices, and the channels it hands them to.
 * A message is derived from one event of the log (an alert, a role, a stand-down, an expiry); its
 * body is the frame the responder app receives, the same on every channel.
 */
export type MessageKind = DeliveryMessageKind;
export type { OutboxMessage };

export const CHANNEL_NAMES = ['websocket', 'web_push', 'webhook', 'cap_gateway'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The stream receipts are written to: one per incident, apart from the response's own stream. */
export const deliveryStream = (incidentId: string): string => `delivery-${incidentId}`;

/** The frame a device receives: `{type, id, alertId, incidentId, ...body}`. */
export type Frame = Readonly<Record<string, unknown>> & {
  readonly type: MessageKind;
  readonly id: number;
  readonly alertId: string;
  readonly incidentId: string;
};

export const frameOf = (m: OutboxMessage): Frame => ({
  ...m.body,
  type: m.kind,
  id: m.id,
  alertId: m.alertId,
  incidentId: m.incidentId,
});

/** Whom a send is for: the volunteer and the device credentials that are still signed in. */
export interface Target {
  readonly volunteerId: string;
  /** Ids of the volunteer's active device tokens; a device whose token was revoked gets nothing. */
  readonly credentials: ReadonlySet<string>;
}

export type SendResult =
  /**
   * `delivered`: the receiving end confirmed it (the SMS gateway). A push service's answer never
   * does (it only took the message); a WebSocket waits for the app's ack.
   */
  | { readonly ok: true; readonly delivered: boolean; readonly detail?: string }
  | { readonly ok: false; readonly retry: boolean; readonly error: string };

/**
 * One way to reach a volunteer. `app` channels (WebSocket, Web Push) reach the responder app;
 * a `fallback` channel (the SMS or voice gateway webhook) is used when no app channel took it.
 */
export interface Channel {
  readonly name: ChannelName;
  readonly tier: 'app' | 'fallback';
  /** Whether the channel could reach the target now, without sending anything. */
  reaches(target: Target): boolean;
  send(frame: Frame, message: OutboxMessage, target: Target): Promise<SendResult>;
}

/**
 * A short text for SMS and notifications. An alert's text names the nature and the walk, never the
 * place: the address and floor come with the role, once the volunteer accepted; door codes never go
 * into a text message.
 */
export function textOf(frame: Frame): string {
  const words = (s: unknown) => String(s ?? '').replace(/_/g, ' ');
  switch (frame.type) {
    case 'alert': {
      const eta = typeof frame['etaS'] === 'number' ? `, ${Math.max(1, Math.round(frame['etaS'] / 60))} min walk from you` : ' near you';
      return `Samaritan alert: ${words(frame['nature'])}${eta}. Open the app to accept or decline.`;
    }
    case 'role': {
      const where = [frame['address'], frame['floor'] === undefined ? undefined : `floor ${String(frame['floor'])}`]
        .filter((x) => x !== undefined && x !== '')
        .join(', ');
      const at = where === '' ? '' : ` at ${where}`;
      return `Samaritan: your role is ${words(frame['role'])}${at}. ${String(frame['reason'] ?? '')}`.trim();
    }
    case 'stand_down':
      return `Samaritan: stand down (${words(frame['reason'])}). ${String(frame['detail'] ?? '')}`.trim();
    case 'expired':
      return 'Samaritan: the alert has expired; no answer is needed any more.';
  }
}
