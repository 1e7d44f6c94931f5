import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
import type { Channel, Frame, OutboxMessage, SendResult, Target } from './messages.ts';
import { textOf } from './messages.ts';
import { postPinned } from './pinned-post.ts';
import type { PushEndpoints } from './push-endpoints.ts';

/**
 * Web Push (RFC 8030, message encryption RFC 8291, VAPID RFC 8292) with the `web-push` library.
 * The VAPID key pair is generated on the first start and kept in the data directory (`vapid.json`,
 * readable by the owner only); its public key is what the responder app subscribes with.
 * `web-push` builds each request (encrypted body, VAPID Authorization header); it is sent only to
 * an endpoint that {@link PushEndpoints} allows, at the addresses it checked just before.
 * A push service's 2xx means it took the message (sent), not that the device has it: only the
 * volunteer's own device can confirm delivery (its socket's ack) or that it was seen.
 */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
  readonly subject: string;
}

export const VAPID_FILE = 'vapid.json';
export const DEFAULT_VAPID_SUBJECT = 'mailto:alerts@samaritan.invalid';

/**
 * The VAPID keys: SAMARITAN_VAPID_PUBLIC_KEY and SAMARITAN_VAPID_PRIVATE_KEY when both are set
 * (several nodes must share one pair: a subscription is bound to the public key it was made with),
 * else the data dir's, generated and stored on the first start.
 */
export function loadOrCreateVapidKeys(
  dataDir: string,
  subject: string = DEFAULT_VAPID_SUBJECT,
  env: NodeJS.ProcessEnv = process.env,
): VapidKeys & { readonly created: boolean } {
  const publicKey = env['SAMARITAN_VAPID_PUBLIC_KEY'];
  const privateKey = env['SAMARITAN_VAPID_PRIVATE_KEY'];
  if (publicKey && privateKey) return { publicKey, privateKey, subject, created: false };
  const file = join(dataDir, VAPID_FILE);
  if (existsSync(file)) {
    const k = JSON.parse(readFileSync(file, 'utf8')) as VapidKeys;
    if (typeof k.publicKey === 'string' && typeof k.privateKey === 'string') return { ...k, subject: k.subject ?? subject, created: false };
  }
  const keys = { ...webPush.generateVAPIDKeys(), subject, createdAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, subject, created: true };
}

export interface PushSubscriptionRecord {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  /** The device token that registered it: revoking the token silences the subscription. */
  readonly credentialId: string;
}

/**
 * Where a volunteer's push subscriptions are kept. They are personal data (an endpoint identifies
 * a browser), so the registry keeps them with the rest of it, and they are erased with it.
 */
export interface PushSubscriptionStore {
  of(volunteerId: string): readonly PushSubscriptionRecord[];
  remove(volunteerId: string, endpoint: string): Promise<void>;
}

/** Push payloads must stay under the services' 4 kB: the route geometry stays in the app's GET. */
const MAX_PAYLOAD = 3000;

function payloadOf(frame: Frame): string {
  const full = JSON.stringify({ ...frame, text: textOf(frame) });
  if (Buffer.byteLength(full) <= MAX_PAYLOAD) return full;
  const { route: _route, ...rest } = frame;
  const slim = JSON.stringify({ ...rest, text: textOf(frame), more: true });
  return Buffer.byteLength(slim) <= MAX_PAYLOAD ? slim : JSON.stringify({ type: frame.type, id: frame.id, alertId: frame.alertId, incidentId: frame.incidentId, more: true });
}

export class WebPushChannel implements Channel {
  readonly name = 'web_push' as const;
  readonly tier = 'app' as const;

  constructor(
    private readonly subscriptions: PushSubscriptionStore,
    readonly vapid: VapidKeys,
    private readonly clock: () => number,
    readonly endpoints: PushEndpoints,
    private readonly timeoutMs = 5000,
  ) {}

  private live(target: Target): PushSubscriptionRecord[] {
    return this.subscriptions.of(target.volunteerId).filter((s) => target.credentials.has(s.credentialId));
  }

  reaches(target: Target): boolean {
    return this.live(target).length > 0;
  }

  async send(frame: Frame, m: OutboxMessage, target: Target): Promise<SendResult> {
    const expires = typeof frame['expiresAt'] === 'string' ? Date.parse(frame['expiresAt']) : NaN;
    const ttl = m.kind === 'alert' && Number.isFinite(expires) ? Math.max(0, Math.round((expires - this.clock()) / 1000)) : 600;
    const payload = payloadOf(frame);
    const results = await Promise.all(
      this.live(target).map(async (s): Promise<SendResult> => {
        const checked = await this.endpoints.forSend(s.endpoint);
        if (!checked.ok) return { ok: false, retry: checked.retry, error: `push endpoint not allowed: ${checked.reason}` };
        try {
          const req = webPush.generateRequestDetails({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
            vapidDetails: this.vapid,
            TTL: ttl,
            urgency: m.kind === 'alert' ? 'high' : 'normal',
            contentEncoding: 'aes128gcm',
          });
          const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
          const status = await postPinned(checked.url, checked.addresses, headers, req.body === null ? undefined : new Uint8Array(req.body), this.timeoutMs);
          if (status >= 200 && status < 300) return { ok: true, delivered: false, detail: `push service ${status}` };
          if (status === 404 || status === 410) {
            await this.subscriptions.remove(target.volunteerId, s.endpoint); // the browser unsubscribed
            return { ok: false, retry: false, error: `subscription gone (${status})` };
          }
          return { ok: false, retry: status === 429 || status >= 500, error: `push service answered ${status}` };
        } catch (e) {
          return { ok: false, retry: true, error: `push: ${(e as Error).message}` };
        }
      }),
    );
    const ok = results.find((r) => r.ok);
    if (ok) return ok;
    const failed = results.filter((r): r is Extract<SendResult, { ok: false }> => !r.ok);
    return { ok: false, retry: failed.some((r) => r.retry), error: failed.map((r) => r.error).join('; ') || 'no subscription' };
  }
}
