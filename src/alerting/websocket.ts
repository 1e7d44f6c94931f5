import type { Clock } from '../time/clock.ts';
import type { Channel, Frame, OutboxMessage, SendResult, Target } from './messages.ts';

/** The part of a `ws` socket the hub uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  ping?(): void;
  terminate?(): void;
}

const OPEN = 1;
/** Close code for a socket whose device token is no longer valid (4000-4999: application codes). */
export const CLOSE_SIGNED_OUT = 4401;

interface Connection {
  readonly volunteerId: string;
  readonly credentialId: string;
  readonly socket: SocketLike;
  /** Answered the last ping (a pong or any frame). */
  alive: boolean;
}

const credentialsOf = (set: ReadonlySet<Connection>): string[] => [...new Set([...set].map((c) => c.credentialId))];

/** What the responder app may send back over its socket. */
export type ClientFrame = { readonly type: 'ack'; readonly id: number } | { readonly type: 'seen'; readonly alertId: string } | { readonly type: 'ping' };

export function parseClientFrame(data: unknown): ClientFrame | undefined {
  let v: unknown;
  try {
    v = JSON.parse(typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  if (f['type'] === 'ack' && Number.isInteger(f['id'])) return { type: 'ack', id: f['id'] as number };
  if (f['type'] === 'seen' && typeof f['alertId'] === 'string' && f['alertId'].length <= 200) return { type: 'seen', alertId: f['alertId'] };
  if (f['type'] === 'ping') return { type: 'ping' };
  return undefined;
}

/**
 * The responder app's live connections, by volunteer: the WebSocket channel of the queue. A frame
 * goes only to sockets opened with a device token that is still valid; a socket whose token was
 * revoked (logged out, account deleted) is closed the next time something would be sent to it.
 * Delivery is confirmed by the app's `{"type":"ack","id":<message id>}`.
 */
export class ResponderSockets implements Channel {
  readonly name = 'websocket' as const;
  readonly tier = 'app' as const;
  private readonly byVolunteer = new Map<string, Set<Connection>>();
  /** Cancels the next heartbeat. */
  private heartbeat: (() => void) | undefined;
  private readonly presence = new Set<(volunteerId: string) => void>();

  /** `clock` paces the heartbeat. */
  constructor(private readonly clock: Clock) {}

  /** Calls `fn` with the volunteer whose sockets here changed (one attached or went); returns the unsubscriber. */
  onPresence(fn: (volunteerId: string) => void): () => void {
    this.presence.add(fn);
    return () => this.presence.delete(fn);
  }

  /** Each volunteer with a socket here, with the device credentials their sockets were opened with. */
  held(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [id, set] of this.byVolunteer) if (set.size > 0) out.set(id, credentialsOf(set));
    return out;
  }

  /** The credentials of the volunteer's sockets here (none: no socket). */
  credentials(volunteerId: string): string[] {
    return credentialsOf(this.byVolunteer.get(volunteerId) ?? new Set());
  }

  private changed(volunteerId: string): void {
    for (const fn of this.presence) fn(volunteerId);
  }

  get connections(): number {
    let n = 0;
    for (const s of this.byVolunteer.values()) n += s.size;
    return n;
  }

  /**
   * Pings every socket every `everyMs` and terminates those that did not answer the previous ping:
   * a phone that lost its network leaves a socket that looks open, and a frame written to it would
   * count as sent while the push or SMS fallback that could reach the volunteer is skipped.
   */
  startHeartbeat(everyMs = 30_000): void {
    if (this.heartbeat) return;
    const beat = () => {
      for (const set of this.byVolunteer.values()) {
        for (const c of set) {
          if (!c.alive) {
            (c.socket.terminate ?? c.socket.close).call(c.socket);
            set.delete(c);
            this.changed(c.volunteerId);
            continue;
          }
          c.alive = false;
          c.socket.ping?.();
        }
      }
      this.heartbeat = this.clock.after(everyMs, beat);
    };
    this.heartbeat = this.clock.after(everyMs, beat);
  }

  /** A pong or any frame from the socket: it is alive. */
  heard(volunteerId: string, socket: SocketLike): void {
    for (const c of this.byVolunteer.get(volunteerId) ?? []) if (c.socket === socket) c.alive = true;
  }

  /** Registers a socket; returns the function that forgets it (call on close). */
  attach(volunteerId: string, credentialId: string, socket: SocketLike): () => void {
    const c: Connection = { volunteerId, credentialId, socket, alive: true };
    let set = this.byVolunteer.get(volunteerId);
    if (set === undefined) this.byVolunteer.set(volunteerId, (set = new Set()));
    set.add(c);
    this.changed(volunteerId);
    return () => {
      const s = this.byVolunteer.get(volunteerId);
      if (s?.delete(c) !== true) return;
      if (s.size === 0) this.byVolunteer.delete(volunteerId);
      this.changed(volunteerId);
    };
  }

  private live(target: Target): Connection[] {
    const set = this.byVolunteer.get(target.volunteerId);
    if (set === undefined) return [];
    const out: Connection[] = [];
    for (const c of set) {
      if (!target.credentials.has(c.credentialId)) {
        c.socket.close(CLOSE_SIGNED_OUT, 'signed out');
        set.delete(c);
        this.changed(target.volunteerId);
      } else if (c.socket.readyState === OPEN) out.push(c);
    }
    return out;
  }

  /** Closes the volunteer's sockets whose device token is not among `credentials` (signed out, deleted). */
  prune(volunteerId: string, credentials: ReadonlySet<string>): void {
    this.live({ volunteerId, credentials });
  }

  reaches(target: Target): boolean {
    return this.live(target).length > 0;
  }

  send(frame: Frame, _m: OutboxMessage, target: Target): Promise<SendResult> {
    return this.write(JSON.stringify(frame), target);
  }

  /** Writes a frame's text to the target's sockets here (a queued message, or one relayed from the node that sends it). */
  async write(text: string, target: Target): Promise<SendResult> {
    const results = await Promise.all(
      this.live(target).map(
        (c) =>
          new Promise<boolean>((resolve) => {
            try {
              c.socket.send(text, (err) => resolve(err === undefined || err === null));
            } catch {
              resolve(false);
            }
          }),
      ),
    );
    const written = results.filter(Boolean).length;
    return written > 0
      ? { ok: true, delivered: false, detail: `${written} socket${written === 1 ? '' : 's'}` }
      : { ok: false, retry: true, error: 'no socket took the frame' };
  }

  /** Sends a frame that is not a queued message (the greeting); best effort. */
  say(volunteerId: string, frame: Readonly<Record<string, unknown>>): void {
    for (const c of this.byVolunteer.get(volunteerId) ?? []) if (c.socket.readyState === OPEN) c.socket.send(JSON.stringify(frame));
  }

  /** Closes every socket (server shutdown). */
  closeAll(): void {
    this.heartbeat?.();
    this.heartbeat = undefined;
    for (const set of this.byVolunteer.values()) for (const c of set) c.socket.close(1001, 'server shutting down');
    this.byVolunteer.clear();
  }
}
