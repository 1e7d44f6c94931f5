/** How a followed socket stands, for the banners: connecting, live, or offline and retrying. */
export type StreamState = 'connecting' | 'live' | 'offline';

export interface TicketedSocketOptions {
  /** Asks the server for a single-use ticket: a browser cannot send a bearer header on a WebSocket. */
  readonly ticket: () => Promise<string>;
  /** The address to open, asked anew at each (re)connect so that it can carry a resume point. */
  readonly url: () => URL;
  readonly onOpen?: (socket: WebSocket) => void;
  readonly onMessage: (data: string, socket: WebSocket) => void;
  readonly onState: (state: StreamState) => void;
}

/**
 * A WebSocket that opens with a fresh ticket and comes back by itself after a drop, backing off from
 * 0.5 s to 10 s. What to resume from, and what a message means, belong to its owner.
 */
export class TicketedSocket {
  private socket: WebSocket | undefined;
  private delayMs = 500;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: TicketedSocketOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  /** Drops the socket as a network would; it reconnects by itself. */
  drop(): void {
    this.socket?.close(4100, 'dropped');
  }

  /** Sends a frame; false when no socket is open. */
  send(text: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(text);
    return true;
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
    const url = this.options.url();
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.delayMs = 500;
      this.options.onOpen?.(socket);
    };
    socket.onmessage = (m) => this.options.onMessage(String(m.data), socket);
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
