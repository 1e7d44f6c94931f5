import { BROADCAST_MAX_BYTES, type Cluster } from '../store/cluster.ts';
import type { Clock } from '../time/clock.ts';
import type { Channel, Frame, OutboxMessage, SendResult, Target } from './messages.ts';
import type { ResponderSockets } from './websocket.ts';

/** Which volunteers have a socket on which node. */
export const SOCKETS_TOPIC = 'sockets';
/** Frames for a socket held by another node. */
export const FRAMES_TOPIC = 'frames';
/** Every node repeats its whole list this often, so that a node that starts (or missed a change) learns it. */
export const PRESENCE_EVERY_MS = 2_000;
/** A node's entry not repeated for this long is dropped: the node died or lost its database connection. */
export const PRESENCE_EXPIRES_MS = 5_000;
/** A relayed frame whose last part did not come within this is dropped. */
const PARTS_EXPIRE_MS = 10_000;
/** Room left in a broadcast for its envelope besides the fields measured. */
const SLACK_BYTES = 64;

/** Volunteer id and the credentials of their sockets on the sender (none: no socket there any more). */
type Entry = readonly [string, readonly string[]];
interface PresenceMessage {
  readonly e: readonly Entry[];
}
/** One part of a frame's text (UTF-8, base64) for `to`'s sockets of volunteer `v` opened with one of `c`. */
interface FramePart {
  readonly to: string;
  readonly id: number;
  readonly i: number;
  readonly n: number;
  readonly v: string;
  readonly c: readonly string[];
  readonly d: string;
}

interface Held {
  readonly credentials: ReadonlySet<string>;
  readonly at: number;
}

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

/**
 * The WebSocket channel across nodes. The delivery worker runs on one node (the leader) while a
 * volunteer's phone may hold its socket on any node behind the load balancer: each node tells the
 * others which volunteers (and device credentials) it holds sockets for — at each change and in
 * full every {@link PRESENCE_EVERY_MS} — and a frame for a socket held elsewhere is broadcast to
 * that node, which writes it to the socket. The app's ack comes back on the node holding the
 * socket, which records the receipt through its own writer.
 */
export class SocketRelay implements Channel {
  readonly name = 'websocket' as const;
  readonly tier = 'app' as const;
  private readonly remote = new Map<string, Map<string, Held>>();
  private readonly parts = new Map<string, { readonly pieces: string[]; got: number; readonly at: number }>();
  private readonly stops: (() => void)[] = [];
  private nextFrame = 0;
  private beat: (() => void) | undefined;

  constructor(
    private readonly local: ResponderSockets,
    private readonly cluster: Cluster,
    private readonly clock: Clock,
    /** A volunteer's socket appeared on another node: what waits for them may go now. */
    private readonly onRemoteAttach: (volunteerId: string) => void = () => {},
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  start(): void {
    this.stops.push(
      this.local.onPresence((v) => this.announce([[v, this.local.credentials(v)]])),
      this.cluster.onMessage(SOCKETS_TOPIC, (p, from) => this.heardPresence(p as PresenceMessage, from)),
      this.cluster.onMessage(FRAMES_TOPIC, (p, from) => this.heardFrame(p as FramePart, from)),
    );
    const beat = () => {
      this.announce([...this.local.held()]);
      this.beat = this.clock.after(PRESENCE_EVERY_MS, beat);
    };
    beat();
  }

  /** Volunteers with a socket on another node that is still heard from (for tests and the status page). */
  remoteVolunteers(): string[] {
    const now = this.clock.now();
    const out = new Set<string>();
    for (const held of this.remote.values())
      for (const [v, h] of held) if (now - h.at <= PRESENCE_EXPIRES_MS && h.credentials.size > 0) out.add(v);
    return [...out];
  }

  reaches(target: Target): boolean {
    return this.local.reaches(target) || this.holders(target).length > 0;
  }

  async send(frame: Frame, _m: OutboxMessage, target: Target): Promise<SendResult> {
    const text = JSON.stringify(frame);
    const nodes = this.holders(target);
    let relayed = 0;
    for (const node of nodes) {
      try {
        this.relay(node, text, target);
        relayed++;
      } catch (e) {
        this.onError(e);
      }
    }
    const here = this.local.reaches(target) ? await this.local.write(text, target) : undefined;
    if (relayed === 0) return here ?? { ok: false, retry: true, error: 'no socket took the frame' };
    const elsewhere = `relayed to ${relayed} node${relayed === 1 ? '' : 's'}`;
    return {
      ok: true,
      delivered: false,
      detail: here?.ok === true && here.detail !== undefined ? `${here.detail}, ${elsewhere}` : elsewhere,
    };
  }

  close(): void {
    this.beat?.();
    this.beat = undefined;
    // The sockets here are about to close: the others drop them now rather than after the expiry.
    this.announce([...this.local.held().keys()].map((v): Entry => [v, []]));
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Nodes heard from lately that hold a socket of the target's opened with a credential still valid. */
  private holders(target: Target): string[] {
    const now = this.clock.now();
    const out: string[] = [];
    for (const [node, held] of this.remote) {
      const h = held.get(target.volunteerId);
      if (h === undefined) continue;
      if (now - h.at > PRESENCE_EXPIRES_MS) held.delete(target.volunteerId);
      else if ([...h.credentials].some((c) => target.credentials.has(c))) out.push(node);
    }
    return out;
  }

  private announce(entries: readonly Entry[]): void {
    const room = BROADCAST_MAX_BYTES - bytes({ topic: SOCKETS_TOPIC, payload: { e: [] } }) - SLACK_BYTES;
    let chunk: Entry[] = [];
    let size = 0;
    const flush = () => {
      if (chunk.length > 0) this.cluster.broadcast(SOCKETS_TOPIC, { e: chunk } satisfies PresenceMessage);
      chunk = [];
      size = 0;
    };
    for (const entry of entries) {
      const n = bytes(entry) + 1;
      if (size + n > room) flush();
      chunk.push(entry);
      size += n;
    }
    flush();
  }

  private heardPresence(m: PresenceMessage, from: string): void {
    if (!Array.isArray(m?.e)) return;
    let held = this.remote.get(from);
    if (held === undefined) this.remote.set(from, (held = new Map()));
    const now = this.clock.now();
    for (const [v, credentials] of m.e) {
      if (credentials.length === 0) {
        held.delete(v);
        continue;
      }
      const before = held.get(v);
      held.set(v, { credentials: new Set(credentials), at: now });
      if (before === undefined || now - before.at > PRESENCE_EXPIRES_MS) this.onRemoteAttach(v);
    }
    // A node that went quiet (killed, restarted under a new id) leaves nothing behind.
    for (const [node, entries] of this.remote) {
      for (const [v, h] of entries) if (now - h.at > PRESENCE_EXPIRES_MS) entries.delete(v);
      if (entries.size === 0 && node !== from) this.remote.delete(node);
    }
  }

  /** Splits the frame's text into parts that each fit a broadcast, for `node` to put back together. */
  private relay(node: string, text: string, target: Target): void {
    const head = { to: node, id: this.nextFrame++, i: 0, n: 0, v: target.volunteerId, c: [...target.credentials], d: '' };
    const room = BROADCAST_MAX_BYTES - bytes({ topic: FRAMES_TOPIC, payload: head }) - SLACK_BYTES;
    if (room < 4) throw new Error(`frame for ${target.volunteerId}: too many credentials to relay`);
    const data = Buffer.from(text).toString('base64');
    const size = Math.floor(room / 4) * 4;
    const n = Math.max(1, Math.ceil(data.length / size));
    for (let i = 0; i < n; i++)
      this.cluster.broadcast(FRAMES_TOPIC, { ...head, i, n, d: data.slice(i * size, (i + 1) * size) } satisfies FramePart);
  }

  private heardFrame(p: FramePart, from: string): void {
    if (p?.to !== this.cluster.nodeId) return;
    const now = this.clock.now();
    let text: string | undefined;
    if (p.n === 1) text = p.d;
    else {
      for (const [k, w] of this.parts) if (now - w.at > PARTS_EXPIRE_MS) this.parts.delete(k);
      const key = `${from}:${p.id}`;
      let w = this.parts.get(key);
      if (w === undefined) this.parts.set(key, (w = { pieces: new Array<string>(p.n), got: 0, at: now }));
      if (w.pieces[p.i] === undefined) {
        w.pieces[p.i] = p.d;
        w.got++;
      }
      if (w.got < p.n) return;
      this.parts.delete(key);
      text = w.pieces.join('');
    }
    this.local
      .write(Buffer.from(text, 'base64').toString('utf8'), { volunteerId: p.v, credentials: new Set(p.c) })
      .catch(this.onError);
  }
}
