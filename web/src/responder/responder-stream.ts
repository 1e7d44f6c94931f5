import type { StreamState } from '../shared/live-stream.ts';

/** A frame of the responder socket: `alert`, `role`, `stand_down`, `expired` carry a message `id`; `ready` greets. */
export type Frame = Readonly<Record<string, unknown>> & { readonly type: string; readonly id?: number; readonly alertId?: string };

export interface ResponderStreamOptions {
  /** A single-use ticket for the socket: a browser cannot send the device token as a header on a WebSocket. */
  readonly ticket: () => Promise<string>;
  readonly onFrame: (frame: Frame) => void;
  readonly onState: (state: StreamState) => void;
}

const PATH = '/api/volunteers/me/stream';

/**
 * Follows `/api/volunteers/me/stream`. Unlike the console's log stream its frames are queued messages
 * with an `id` and no `seq`: each is acknowledged (the delivered receipt) and passed on once, however
 * often the server sends it again (after a reconnect, or on Web Push too). Reconnects back off from
 * 0.5 s to 10 s; the server hurries anything still queued when a socket opens.
 */
export class ResponderStream {
  private socket: WebSocket | undefined;
  private delayMs = 500;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly seenIds = new Set<number>();

  constructor(private readonly options: ResponderStreamOptions) {}

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

  /** Sends a client frame (`seen`); false when no socket is open. */
  send(frame: Readonly<Record<string, unknown>>): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Whether a frame with this message id was passed on already (Web Push brings the same frames). */
  firstTime(id: number | undefined): boolean {
    if (id === undefined) return true;
    if (this.seenIds.has(id)) return false;
    this.seenIds.add(id);
    if (this.seenIds.size > 500) this.seenIds.delete(this.seenIds.values().next().value as number);
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
    const url = new URL(PATH, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.delayMs = 500;
    };
    socket.onmessage = (m) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(m.data)) as Frame;
      } catch {
        return;
      }
      if (frame.type === 'ready') this.options.onState('live');
      if (typeof frame.id === 'number') socket.send(JSON.stringify({ type: 'ack', id: frame.id }));
      if (this.firstTime(frame.id)) this.options.onFrame(frame);
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
