import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook.ts';

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
 * `x-samaritan-signature: sha256=HMAC(key, "<timestamp>." + body)`, see alerting/webhook.ts), to a
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
        [SIGNATURE_HEADER]: signWebhook(p.key, timestamp, p.body),
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
