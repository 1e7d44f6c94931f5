import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel, Frame, OutboxMessage, SendResult, Target } from './messages.ts';
import { textOf } from './messages.ts';

/**
 * The channel for SMS and voice gateways: each message is POSTed as JSON to a configured URL,
 * signed with HMAC-SHA256 over `<timestamp>.<body>` with a shared secret:
 *
 *   x-samaritan-timestamp: <unix seconds>
 *   x-samaritan-signature: sha256=<hex>
 *   x-samaritan-delivery:  <message id>   (the same on every retry: the gateway can de-duplicate)
 *
 * A 2xx means the gateway took it (delivered, as far as Samaritan can know); 408, 429 and 5xx
 * and network errors are retried; any other 4xx is final. It is the fallback: used when no app
 * channel reached the volunteer.
 */
export interface WebhookConfig {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
}

/** The volunteer's phone number for the gateway, from the registry's personal data (may be unknown). */
export type PhoneBook = (volunteerId: string) => string | undefined;

export const SIGNATURE_HEADER = 'x-samaritan-signature';
export const TIMESTAMP_HEADER = 'x-samaritan-timestamp';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Checks a signature as a gateway would (constant time; `toleranceS` against replays). */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string, nowS: number, toleranceS = 300): boolean {
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > toleranceS) return false;
  const want = Buffer.from(signWebhook(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export class WebhookChannel implements Channel {
  readonly name = 'webhook' as const;
  readonly tier = 'fallback' as const;

  constructor(
    private readonly config: WebhookConfig,
    private readonly clock: () => number,
    private readonly phoneOf: PhoneBook = () => undefined,
  ) {
    if (!/^https?:\/\//.test(config.url)) throw new Error(`alert webhook: ${config.url} is not an http(s) URL`);
    if (config.secret.length < 16) throw new Error('alert webhook: the signing secret must be at least 16 characters');
  }

  reaches(_target: Target): boolean {
    return true;
  }

  async send(frame: Frame, m: OutboxMessage, target: Target): Promise<SendResult> {
    const phone = this.phoneOf(target.volunteerId);
    const body = JSON.stringify({
      id: m.id,
      type: m.kind,
      volunteerId: target.volunteerId,
      ...(phone === undefined ? {} : { phone }),
      text: textOf(frame),
      message: frame,
    });
    const timestamp = String(Math.floor(this.clock() / 1000));
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.config.secret, timestamp, body),
          'x-samaritan-delivery': String(m.id),
          'x-samaritan-event': m.kind,
        },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, delivered: true, detail: `gateway ${res.status}` };
      const retry = res.status === 408 || res.status === 429 || res.status >= 500;
      return { ok: false, retry, error: `gateway answered ${res.status}` };
    } catch (e) {
      return { ok: false, retry: true, error: `gateway: ${(e as Error).message}` };
    }
  }
}
