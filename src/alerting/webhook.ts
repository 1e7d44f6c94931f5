import type { Channel, Frame, OutboxMessage, SendResult, Target } from './messages.ts';
import { textOf } from './messages.ts';
import { DELIVERY_HEADER, EVENT_HEADER, gatewayResult, postSigned } from './signed-post.ts';

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
    const answer = await postSigned(this.config.url, {
      contentType: 'application/json',
      body,
      key: this.config.secret,
      now: this.clock(),
      timeoutMs: this.config.timeoutMs ?? 5000,
      headers: { [DELIVERY_HEADER]: String(m.id), [EVENT_HEADER]: m.kind },
    });
    return gatewayResult('gateway', answer);
  }
}
