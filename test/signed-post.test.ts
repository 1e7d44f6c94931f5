import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, signRequest, verifySignedRequest } from '../src/alerting/signed-post.ts';

/** The one signature of every request we send or check (gateways, webhooks, hand-overs), against a real socket. */
const KEY = 'a-shared-signing-key-of-32-chars!';
const NOW_MS = 1_800_000_000_000;
const NOW_S = NOW_MS / 1000;

describe('signed requests', () => {
  const received: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
        if (req.url === '/moved') {
          res.writeHead(307, { location: `${base}/elsewhere` });
          res.end();
        } else res.end('taken');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs the bytes as sent: a receiver checks them as received, with the key, in the time window', async () => {
    const body = '{"note":"café à 3 €"}';
    const answer = await postSigned(`${base}/in`, { contentType: 'application/json', body, key: KEY, now: NOW_MS, timeoutMs: 5000, headers: { 'x-samaritan-delivery': 'd1' } });
    expect(answer).toEqual({ kind: 'answered', status: 200, text: 'taken' });
    const got = received.at(-1)!;
    const ts = String(got.headers['x-samaritan-timestamp']);
    const sig = String(got.headers['x-samaritan-signature']);
    expect(ts).toBe(String(NOW_S));
    // Computed here independently of the code under test, over the raw bytes received.
    expect(sig).toBe(`sha256=${createHmac('sha256', KEY).update(Buffer.concat([Buffer.from(`${ts}.`), got.body])).digest('hex')}`);
    expect(verifySignedRequest(KEY, ts, got.body, sig, NOW_S)).toBe(true);
    expect(signRequest(KEY, ts, got.body)).toBe(signRequest(KEY, ts, body));

    const tampered = Buffer.from(got.body);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 2) ^ 1, tampered.length - 2);
    expect(verifySignedRequest(KEY, ts, tampered, sig, NOW_S)).toBe(false);
    expect(verifySignedRequest(`${KEY}x`, ts, got.body, sig, NOW_S)).toBe(false);
    expect(verifySignedRequest(KEY, ts, got.body, sig.slice(0, -1), NOW_S)).toBe(false);
    expect(verifySignedRequest(KEY, ts, got.body, sig, NOW_S + 300)).toBe(true);
    expect(verifySignedRequest(KEY, ts, got.body, sig, NOW_S + 301)).toBe(false);
    expect(verifySignedRequest(KEY, ts, got.body, sig, NOW_S - 301)).toBe(false);
    expect(verifySignedRequest(KEY, `${ts}.5`, got.body, sig, NOW_S)).toBe(false);
  });

  it('does not follow a redirect: the signed body is never carried to another address', async () => {
    const before = received.length;
    const answer = await postSigned(`${base}/moved`, { contentType: 'application/json', body: '{}', key: KEY, now: NOW_MS, timeoutMs: 5000 });
    expect(answer).toMatchObject({ kind: 'answered', status: 307 });
    expect(received.slice(before).map((r) => r.path)).toEqual(['/moved']);
  });

  it('says who could not be reached, and never the key', async () => {
    const answer = await postSigned('http://127.0.0.1:9/in', { contentType: 'application/json', body: '{}', key: KEY, now: NOW_MS, timeoutMs: 5000 });
    expect(answer.kind).toBe('unreachable');
    expect(JSON.stringify(answer)).toContain('127.0.0.1:9');
    expect(JSON.stringify(answer)).not.toContain(KEY);
  });
});
