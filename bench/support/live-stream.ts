// A client of the product's live stream (`GET /api/stream`, a WebSocket) that stamps each message
// with the moment it arrived, for benchmarks that time how soon a change reaches a console.
import WebSocket from 'ws';

export interface StreamMessage {
  readonly seq: number;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export class LiveStream {
  private readonly ws: WebSocket;
  readonly opened: Promise<void>;
  /** Set when the socket closed before {@link close} was called. */
  closedEarly: { code: number; reason: string } | undefined;
  private closing = false;

  /**
   * Opens `/api/stream` on `base` (http://…) after `after` (default: the head, only new events).
   * `onMessage` gets each message and performance.now() at its arrival.
   */
  constructor(base: string, token: string, onMessage: (m: StreamMessage, at: number) => void, after?: number) {
    const url = `${base.replace(/^http/, 'ws')}/api/stream${after === undefined ? '' : `?after=${after}`}`;
    this.ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`GET /api/stream on ${base} answered ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
    this.ws.on('message', (raw) => {
      const at = performance.now();
      onMessage(JSON.parse(String(raw)) as StreamMessage, at);
    });
    this.ws.once('close', (code, reason) => {
      if (!this.closing) this.closedEarly = { code, reason: reason.toString() };
    });
  }

  close(): void {
    this.closing = true;
    this.ws.terminate();
  }
}
