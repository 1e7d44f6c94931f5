import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import WebSocket from 'ws';

/** Clients of the console's live stream for the tests: they keep what arrives and wait on conditions. */

export interface Msg {
  seq: number;
  type: string;
  at: string;
  actor: { kind: string; id: string };
  data: Record<string, unknown>;
}

export const WAIT_MS = 10_000;

/** A client of /api/stream that keeps every message, and waits on conditions (never on fixed times). */
export class Reader {
  readonly msgs: Msg[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  pings = 0;
  private readonly listeners = new Set<() => void>();
  private isClosed = false;

  constructor(url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => {
        this.isClosed = true;
        this.notify();
        resolve({ code, reason: reason.toString() });
      }),
    );
    this.ws.on('message', (data) => {
      this.msgs.push(JSON.parse(String(data)) as Msg);
      this.notify();
    });
    (this.ws as unknown as EventEmitter).on('ping', () => {
      this.pings++;
      this.notify();
    });
  }

  get seqs(): number[] {
    return this.msgs.map((m) => m.seq);
  }

  get lastSeq(): number {
    return this.msgs.at(-1)?.seq ?? -1;
  }

  /** The underlying TCP socket: pausing it stops reading, as a stalled client would. */
  get tcp(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  until(done: (r: Reader) => boolean, what: string, ms = WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done(this)) finish(resolve);
        else if (this.isClosed) finish(() => reject(new Error(`socket closed while waiting for ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what} (${this.msgs.length} messages)`))), ms);
      const finish = (f: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        f();
      };
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** Waits for a condition checked on the event loop's turns, with a timeout. */
export async function condition(check: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An upgrade the server refuses: its status and error body. */
export function refused(url: string, headers: Record<string, string>): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error: { code: string; message: string } } });
      });
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', () => undefined);
  });
}
