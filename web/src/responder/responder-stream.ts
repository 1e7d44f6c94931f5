import { TicketedSocket, type StreamState } from '../shared/ticketed-socket.ts';

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
  private readonly seenIds = new Set<number>();
  private readonly socket: TicketedSocket;

  constructor(options: ResponderStreamOptions) {
    this.socket = new TicketedSocket({
      ticket: options.ticket,
      url: () => new URL(PATH, location.href),
      onState: options.onState,
      onMessage: (data, socket) => {
        let frame: Frame;
        try {
          frame = JSON.parse(data) as Frame;
        } catch {
          return;
        }
        if (frame.type === 'ready') options.onState('live');
        if (typeof frame.id === 'number') socket.send(JSON.stringify({ type: 'ack', id: frame.id }));
        if (this.firstTime(frame.id)) options.onFrame(frame);
      },
    });
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  /** Sends a client frame (`seen`); false when no socket is open. */
  send(frame: Readonly<Record<string, unknown>>): boolean {
    return this.socket.send(JSON.stringify(frame));
  }

  /** Whether a frame with this message id was passed on already (Web Push brings the same frames). */
  firstTime(id: number | undefined): boolean {
    if (id === undefined) return true;
    if (this.seenIds.has(id)) return false;
    this.seenIds.add(id);
    if (this.seenIds.size > 500) this.seenIds.delete(this.seenIds.values().next().value as number);
    return true;
  }
}
