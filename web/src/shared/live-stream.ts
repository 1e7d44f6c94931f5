import { api } from './api.ts';
import { TicketedSocket, type StreamState } from './ticketed-socket.ts';

export type { StreamState };

/** One event of the log, as the server streams it. */
export interface StreamEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly actor?: { kind: string; id: string };
  readonly data: Record<string, unknown>;
}

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
 * Follows the server's live log stream and survives drops: each reconnect resumes after the last
 * seq applied, so nothing is missed or applied twice.
 */
export class LiveStream {
  private last: number | undefined;
  private readonly socket: TicketedSocket;

  constructor(options: LiveStreamOptions) {
    this.last = options.after;
    this.socket = new TicketedSocket({
      ticket: options.ticket,
      url: () => {
        const url = new URL(options.path, location.href);
        if (this.last !== undefined) url.searchParams.set('after', String(this.last));
        return url;
      },
      onOpen: () => options.onState('live'),
      onState: options.onState,
      onMessage: (data) => {
        const event = JSON.parse(data) as StreamEvent;
        if (typeof event.seq === 'number') {
          if (this.last !== undefined && event.seq <= this.last) return;
          this.last = event.seq;
        }
        options.onEvent(event);
      },
    });
  }

  get lastSeq(): number | undefined {
    return this.last;
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  /** Drops the socket as a network would (tests and the "reconnect" button). */
  drop(): void {
    this.socket.drop();
  }
}

/** The console's ticket: asked with the session cookie and its CSRF token. */
export const sessionTicket = async (): Promise<string> =>
  (await api<{ ticket: string }>('POST', '/api/stream/ticket')).ticket;
