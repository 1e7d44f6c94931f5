import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SendResult } from './messages.ts';

export const SIGNATURE_HEADER = 'x-samaritan-signature';
export const TIMESTAMP_HEADER = 'x-samaritan-timestamp';
/** The same on every retry of one delivery, so that the receiver can tell a repeat. */
export const DELIVERY_HEADER = 'x-samaritan-delivery';
/** What the request carries (a message kind, an event type, `eido`). */
export const EVENT_HEADER = 'x-samaritan-event';

/** How far a signed timestamp may be from the receiver's clock (s): a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * The one signature of every request we send (gateways, webhooks, hand-overs) and check (a partner
 * centre's hand-over): `sha256=` and the hex HMAC-SHA256 of `<timestamp>.` followed by the body's
 * bytes exactly as sent.
 */
export function signRequest(secret: string, timestamp: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Checks a signature over the body as received: constant time, and a timestamp within `toleranceS` of `nowS`. */
export function verifySignedRequest(
  secret: string,
  timestamp: string,
  body: string | Uint8Array,
  signature: string,
  nowS: number,
  toleranceS = SIGNATURE_TOLERANCE_S,
): boolean {
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > toleranceS) return false;
  const want = Buffer.from(signRequest(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** What came of a signed POST: the receiver's answer, or no answer at all (refused, reset, timed out). */
export type PostAnswer = { readonly kind: 'answered'; readonly status: number; readonly text: string } | { readonly kind: 'unreachable'; readonly why: string };

export interface SignedPost {
  readonly contentType: string;
  readonly body: string;
  /** The HMAC-SHA256 key the receiver shares. */
  readonly key: string;
  /** Epoch ms now: the signed timestamp. */
  readonly now: number;
  readonly timeoutMs: number;
  /** More headers (what the request carries, its delivery id). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request (the process is closing). */
  readonly signal?: AbortSignal;
}

/**
 * POSTs a body signed as every outbound request of ours is (`x-samaritan-timestamp`,
 * `x-samaritan-signature: sha256=HMAC(key, "<timestamp>." + body)`, see signRequest above), to a
 * URL from the configuration, and reads the answer's text.
 */
export async function postSigned(url: string, p: SignedPost): Promise<PostAnswer> {
  const timestamp = String(Math.floor(p.now / 1000));
  const timeout = AbortSignal.timeout(p.timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        ...p.headers,
        'content-type': p.contentType,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signRequest(p.key, timestamp, p.body),
      },
      body: p.body,
      // A redirect could lead anywhere, and would carry the signed body there: it is an answer, not followed.
      redirect: 'manual',
      signal: p.signal === undefined ? timeout : AbortSignal.any([timeout, p.signal]),
    });
    return { kind: 'answered', status: res.status, text: await res.text().catch(() => '') };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return { kind: 'unreachable', why: `${url}: ${cause ?? (e as Error).message}` };
  }
}

/** Whether an answer asks to be tried again later (408, 429, 5xx); any other 4xx is final. */
export const retryLater = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** A gateway channel's result for an answer (`what` names the gateway in the error). */
export function gatewayResult(what: string, answer: PostAnswer): SendResult {
  if (answer.kind === 'unreachable') return { ok: false, retry: true, error: `${what}: ${answer.why}` };
  if (answer.status >= 200 && answer.status < 300) return { ok: true, delivered: true, detail: `${what} ${answer.status}` };
  return { ok: false, retry: retryLater(answer.status), error: `${what} answered ${answer.status}` };
}
