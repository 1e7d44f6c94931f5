/**
 * Limits on the WebSocket routes (the responder app's `/api/volunteers/me/stream`, the console's
 * `/api/stream`): how many sockets one credential and all callers together may hold open, how large
 * a message a client may send, and how many messages in a window. A socket is cheap to open and
 * each holds memory, a heartbeat and a log follower, so one leaked token or one broken client loop
 * must not be able to take them all.
 */
export interface SocketLimits {
  /** Open sockets one credential may hold, over both routes. */
  readonly perCredential: number;
  /** Open sockets in all. */
  readonly total: number;
  /** Largest message a client may send, bytes; a larger frame closes the socket with 1009. */
  readonly maxPayload: number;
  /** Messages a client may send per `windowMs`; one more closes the socket with 1008. */
  readonly maxMessages: number;
  readonly windowMs: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  perCredential: 8,
  total: 2000,
  maxPayload: 16 * 1024,
  // The app acks every frame the server sends, so a busy phone (alert, role, stand-down, one after
  // another) may send tens a second; a flood sends thousands.
  maxMessages: 1000,
  windowMs: 10_000,
};

/** RFC 6455 close codes: 1008 policy violation (too many messages), 1013 try again later (too many sockets). */
export const CLOSE_TOO_MANY_MESSAGES = 1008;
export const CLOSE_TOO_MANY_SOCKETS = 1013;

/** The part of a `ws` socket the gate uses. */
export interface GatedSocket {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
  on(event: 'message' | 'close', listener: () => void): unknown;
}

export interface GateLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

const OPEN = 1;

/** Counts the open sockets, by credential and in all, and meters what each client sends. */
export class SocketGate {
  private readonly byCredential = new Map<string, number>();
  private open = 0;

  constructor(
    readonly limits: SocketLimits,
    /** Epoch ms now (the product's clock, so tests move the message window by hand). */
    private readonly clock: () => number,
  ) {}

  /** Why one more socket for `credentialId` would be refused now, or undefined when it would be let in. */
  refusal(credentialId: string): string | undefined {
    if (this.open >= this.limits.total) return `The server holds its limit of ${this.limits.total} live connections; retry later`;
    if ((this.byCredential.get(credentialId) ?? 0) >= this.limits.perCredential) {
      return `This credential already holds ${this.limits.perCredential} live connections, the most it may; close one first`;
    }
    return undefined;
  }

  /**
   * Counts an upgraded socket until it closes and meters its messages; call it first in the
   * handler, before any message listener of the route. False, with the socket closed, when a
   * limit was reached in the meantime.
   */
  admit(socket: GatedSocket, credentialId: string, log: GateLog): boolean {
    const why = this.refusal(credentialId);
    if (why !== undefined) {
      log.warn({ credentialId, open: this.open }, 'WebSocket refused: too many connections');
      socket.close(CLOSE_TOO_MANY_SOCKETS, 'too many connections');
      return false;
    }
    this.open++;
    this.byCredential.set(credentialId, (this.byCredential.get(credentialId) ?? 0) + 1);
    socket.on('close', () => {
      this.open--;
      const left = (this.byCredential.get(credentialId) ?? 1) - 1;
      if (left > 0) this.byCredential.set(credentialId, left);
      else this.byCredential.delete(credentialId);
    });
    let windowStart = this.clock();
    let count = 0;
    socket.on('message', () => {
      if (socket.readyState !== OPEN) return;
      const now = this.clock();
      if (now - windowStart >= this.limits.windowMs) {
        windowStart = now;
        count = 0;
      }
      if (++count <= this.limits.maxMessages) return;
      log.warn({ credentialId, maxMessages: this.limits.maxMessages, windowMs: this.limits.windowMs }, 'WebSocket closed: too many messages (1008)');
      socket.close(CLOSE_TOO_MANY_MESSAGES, 'too many messages');
    });
    return true;
  }

  /** Open sockets (diagnostics and tests). */
  get connections(): number {
    return this.open;
  }
}

/** What `ws` closes a socket with when a client breaks the protocol, by its error code. */
const WS_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_INVALID_UTF8: 1007,
};

/**
 * What to log for an error on an open socket, on one line and without a stack: a client's
 * protocol error (an oversize frame, bad UTF-8, a bad opcode) is the client's fault, and `ws` has
 * already closed the socket with the matching code. `closed`: nothing more needs doing.
 */
export function socketErrorLine(error: Error & { code?: unknown }): { fields: Record<string, unknown>; message: string; closed: boolean } {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code?.startsWith('WS_ERR_') === true) {
    const closeCode = WS_CLOSE_CODES[code] ?? 1002;
    return { fields: { wsError: code, closeCode }, message: `WebSocket closed (${closeCode}): ${error.message}`, closed: true };
  }
  return { fields: { wsError: code ?? error.name }, message: `WebSocket error: ${error.message}`, closed: false };
}
