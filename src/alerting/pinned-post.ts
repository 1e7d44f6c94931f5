import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './push-endpoints.ts';

/**
 * POSTs `body` to `url`, connecting only to `addresses` (already checked: the name is not
 * resolved again, so it cannot be re-pointed after the check), and never following a redirect
 * (a redirect could lead anywhere). TLS is still verified against the URL's host name.
 * Resolves with the status code; the response body is discarded.
 */
export function postPinned(
  url: URL,
  addresses: readonly ResolvedAddress[],
  headers: Readonly<Record<string, string>>,
  body: Uint8Array | undefined,
  timeoutMs: number,
): Promise<number> {
  const first = addresses[0];
  if (first === undefined) return Promise.reject(new Error(`no checked address for ${url.hostname}`));
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all === true) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, first.address, first.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, lookup: pinned, signal: AbortSignal.timeout(timeoutMs) }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}
