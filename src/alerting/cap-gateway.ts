import type { OutboxMessage } from '../store/outbox-store.ts';
import { capXml, CAP_CONTENT_TYPE, type CapOptions, type CapReference } from '../interop/cap/cap-alert.ts';
import { volunteerCap, volunteerCapId, type VolunteerMessage } from '../interop/cap/volunteer-cap.ts';
import type { Channel, Frame, SendResult, Target } from './messages.ts';
import { DELIVERY_HEADER, EVENT_HEADER, gatewayResult, postSigned } from './signed-post.ts';
import type { PhoneBook } from './webhook.ts';

/**
 * The channel to an external alerting gateway that speaks OASIS CAP 1.2: each message to a
 * volunteer is POSTed as a Private CAP alert (`application/cap+xml`), addressed to the volunteer's
 * pseudonymous id, signed like the webhook (HMAC-SHA256 over `<timestamp>.<body>`, the same
 * headers), with `x-samaritan-delivery` the same on every retry. What it says is what the message
 * says: the queue decided it with core/scene.ts, as for every channel. A fallback, like the
 * SMS webhook: used when no app channel took the message, beside the webhook.
 */
export interface CapGatewayConfig {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  /** CAP `sender` (default samaritan@<the gateway's host>) and `senderName`. */
  readonly sender?: string;
  readonly senderName?: string;
}

/** Alerts whose identifier and sent time are remembered, for the messages that follow them. */
const REMEMBERED = 10_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const point = (v: unknown): { lat: number; lon: number } | undefined => {
  const p = v as { lat?: unknown; lon?: unknown } | undefined;
  return num(p?.lat) !== undefined && num(p?.lon) !== undefined ? { lat: p!.lat as number, lon: p!.lon as number } : undefined;
};

/** The fields of a frame the CAP message carries; nothing else of it goes out. */
export function messageOf(frame: Frame, m: OutboxMessage, phone: string | undefined, follows?: CapReference, nature?: string): VolunteerMessage {
  const area = frame['area'] as { withinM?: unknown } | undefined;
  const areaPoint = point(area);
  const withinM = num(area?.withinM);
  const pick = <K extends keyof VolunteerMessage>(k: K, v: VolunteerMessage[K] | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    kind: m.kind,
    alertId: m.alertId,
    incidentId: m.incidentId,
    volunteerId: m.volunteerId,
    sent: new Date(m.createdAt).toISOString(),
    ...pick('nature', str(frame['nature']) ?? nature),
    ...pick('etaS', num(frame['etaS'])),
    ...pick('expiresAt', str(frame['expiresAt'])),
    ...(areaPoint === undefined || withinM === undefined ? {} : { area: { ...areaPoint, withinM } }),
    ...pick('location', point(frame['location'])),
    ...pick('address', str(frame['address'])),
    ...pick('floor', str(frame['floor'])),
    ...pick('access', str(frame['access'])),
    ...pick('role', str(frame['role'])),
    ...pick('reason', str(frame['reason'])),
    ...pick('detail', str(frame['detail'])),
    ...pick('phone', phone),
    ...pick('follows', follows),
  };
}

export class CapGatewayChannel implements Channel {
  readonly name = 'cap_gateway' as const;
  readonly tier = 'fallback' as const;
  private readonly cap: CapOptions;
  /** alertId → the alert's identifier, sent time and nature, so that a role or stand-down can refer to it. */
  private readonly alerts = new Map<string, { ref: CapReference; nature?: string }>();

  constructor(
    private readonly config: CapGatewayConfig,
    private readonly clock: () => number,
    private readonly phoneOf: PhoneBook = () => undefined,
  ) {
    if (!/^https?:\/\//.test(config.url)) throw new Error(`CAP gateway: ${config.url} is not an http(s) URL`);
    if (config.secret.length < 16) throw new Error('CAP gateway: the signing secret must be at least 16 characters');
    this.cap = { sender: config.sender ?? `samaritan@${new URL(config.url).hostname}`, senderName: config.senderName ?? 'Samaritan volunteer alerts' };
  }

  reaches(_target: Target): boolean {
    return true;
  }

  async send(frame: Frame, m: OutboxMessage, target: Target): Promise<SendResult> {
    const known = this.alerts.get(m.alertId);
    const message = messageOf(frame, m, this.phoneOf(target.volunteerId), known?.ref, known?.nature);
    if (m.kind === 'alert') this.remember(m.alertId, { ref: { identifier: volunteerCapId(m.alertId, 'alert'), sent: message.sent }, ...(message.nature === undefined ? {} : { nature: message.nature }) });
    const body = capXml(volunteerCap(message), this.cap);
    const answer = await postSigned(this.config.url, {
      contentType: CAP_CONTENT_TYPE,
      body,
      key: this.config.secret,
      now: this.clock(),
      timeoutMs: this.config.timeoutMs ?? 5000,
      headers: { [DELIVERY_HEADER]: String(m.id), [EVENT_HEADER]: m.kind },
    });
    return gatewayResult('CAP gateway', answer);
  }

  private remember(alertId: string, v: { ref: CapReference; nature?: string }): void {
    this.alerts.delete(alertId);
    this.alerts.set(alertId, v);
    if (this.alerts.size > REMEMBERED) this.alerts.delete(this.alerts.keys().next().value!);
  }
}
