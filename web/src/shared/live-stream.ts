import { api } from './api.ts';

/** One event of the log, as the server streams it. */
export interface StreamEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly actor?: { kind: string; id: string };
  readonly data: Record<string, unknown>;
}

export type StreamState = 'connecting' | 'live' | 'offline';

export interface LiveStreamOptions {
  /** Where to open: the log stream for the console. */
  readonly path: string;
  /** Asks the server for a single-use ticket: a browser cannot send a bearer header on a WebSocket. */
  readonly ticket: () => Promise<string>;
  /** The last seq already applied (resume point); undefined: only new events. */
  readonly after?: number;
  readonly onEvent: (event: StreamEvent) => void;
  readonly onState: (state: StreamState) => void;
}

/**
 * Follows the server's live stream and survives drops: on reconnect it resumes after the last seq it
 * applied, so nothing is missed or applied twice. Reconnects back off from 0.5 s to 10 s.
 */
export class LiveStream {
  private socket: WebSocket | undefined;
  private last: number | undefined;
  private delayMs = 500;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LiveStreamOptions) {
    this.last = options.after;
  }

  get lastSeq(): number | undefined {
    return this.last;
  }

  start(): void {
    this.stopped = false;
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
  }

  /** Drops the socket as a network would (tests and the "reconnect" button). */
  drop(): void {
    this.socket?.close(4100, 'dropped');
  }

  private async open(): Promise<void> {
    this.options.onState('connecting');
    let ticket: string;
    try {
      ticket = await this.options.ticket();
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const url = new URL(this.options.path, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    if (this.last !== undefined) url.searchParams.set('after', String(this.last));
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.delayMs = 500;
      this.options.onState('live');
    };
    socket.onmessage = (m) => {
      const event = JSON.parse(String(m.data)) as StreamEvent;
      if (typeof event.seq === 'number') {
        if (this.last !== undefined && event.seq <= this.last) return;
        this.last = event.seq;
      }
      this.options.onEvent(event);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = undefined;
      if (!this.stopped) this.retry();
    };
  }

  private retry(): void {
    this.options.onState('offline');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.open(), this.delayMs);
    this.delayMs = Math.min(10_000, this.delayMs * 2);
  }
}

/** The console's ticket: asked with the session cookie and its CSRF token. */
export const sessionTicket = async (): Promise<string> =>
  (await api<{ ticket: string }>('POST', '/api/stream/ticket')).ticket;
