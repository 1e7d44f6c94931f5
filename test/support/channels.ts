import { createECDH, createPublicKey, createDecipheriv, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

/**
 * Real endpoints on 127.0.0.1 for the delivery channels: an SMS gateway receiving webhooks, a Web
 * Push service, and a responder app's WebSocket client.
 */

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface LocalEndpoint {
  readonly url: string;
  readonly received: Received[];
  /** Statuses to answer with, in order; once used up, `fallback`. */
  readonly script: number[];
  close(): Promise<void>;
}

/** An HTTP server that records every POST and answers from `script` (then `fallback`). */
export async function startEndpoint(fallback = 200): Promise<LocalEndpoint> {
  const received: Received[] = [];
  const script: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = script.shift() ?? fallback;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const b64u = (b: Buffer) => b.toString('base64url');

/** A browser's push subscription keys (P-256 ECDH pair and auth secret), able to decrypt what it receives. */
export interface PushClient {
  readonly keys: { p256dh: string; auth: string };
  decrypt(body: Buffer): string;
}

export function pushClient(): PushClient {
  const ecdh: ECDH = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const uaPublic = ecdh.getPublicKey();
  return {
    keys: { p256dh: b64u(uaPublic), auth: b64u(auth) },
    /** RFC 8291 (aes128gcm, RFC 8188), one record. */
    decrypt(body: Buffer): string {
      const salt = body.subarray(0, 16);
      const idlen = body[20]!;
      const asPublic = body.subarray(21, 21 + idlen);
      const record = body.subarray(21 + idlen);
      const secret = ecdh.computeSecret(asPublic);
      const info = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
      const ikm = Buffer.from(hkdfSync('sha256', secret, auth, info, 32));
      const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
      const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
      const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
      decipher.setAuthTag(record.subarray(record.length - 16));
      const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
      let end = plain.length - 1;
      while (end >= 0 && plain[end] === 0) end--;
      if (plain[end] !== 2) throw new Error('not the last record of an aes128gcm body');
      return plain.subarray(0, end).toString('utf8');
    },
  };
}

/** Checks a VAPID `Authorization: vapid t=<JWT>, k=<key>` header: ES256 signature by `publicKey`, audience, subject. */
export function verifyVapid(header: string | undefined, publicKey: string): { aud: string; sub: string; exp: number } {
  const m = /^vapid t=([^,\s]+),\s*k=([^,\s]+)$/.exec(header ?? '');
  if (!m) throw new Error(`not a VAPID header: ${header}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  if (k !== publicKey) throw new Error('VAPID key is not the server’s public key');
  const [h, p, sig] = jwt.split('.') as [string, string, string];
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  if (!ok) throw new Error('VAPID signature does not verify');
  return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { aud: string; sub: string; exp: number };
}

/** The responder app's WebSocket: every frame it received, and a way to wait for one. */
export interface AppSocket {
  readonly socket: WebSocket;
  readonly frames: Record<string, unknown>[];
  next(pred: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(frame: unknown): void;
  close(): void;
  closed: Promise<number>;
}

export function connectApp(base: string, token: string): Promise<AppSocket> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/volunteers/me/stream`, { headers: { authorization: `Bearer ${token}` } });
  const frames: Record<string, unknown>[] = [];
  const waiters: { pred: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }[] = [];
  socket.on('message', (data) => {
    const f = JSON.parse(String(data)) as Record<string, unknown>;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const app: AppSocket = {
    socket,
    frames,
    next: (pred, timeoutMs = 5000) => {
      const seen = frames.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiters.push({ pred, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
    send: (frame) => socket.send(JSON.stringify(frame)),
    close: () => socket.close(),
    closed,
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    void app.next((f) => f['type'] === 'ready').then(() => resolve(app), reject);
  });
}
