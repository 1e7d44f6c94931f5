import { BROADCAST_MAX_BYTES, type Cluster } from '../store/cluster.ts';
import type { Clock } from '../time/clock.ts';
import type { PositionFix, PositionSink } from './position-intake.ts';

export const POSITIONS_TOPIC = 'positions';
/** Fixes taken here are sent to the other nodes in one batch per this interval (ms). */
export const RELAY_EVERY_MS = 20;
/** Room left in a broadcast for its envelope besides the items measured. */
const SLACK_BYTES = 64;

/** A unit's or a volunteer's fix: kind (`u`, `v`), id, lat, lon, epoch ms. */
type Item = readonly ['u' | 'v', string, number, number, number];
interface Batch {
  readonly f: readonly Item[];
}

/** What another node took, for this node's index: it works out each attribute word from its own read model. */
export interface RelayedPositions {
  readonly units: readonly PositionFix[];
  readonly volunteers: readonly PositionFix[];
}

const itemBytes = (x: Item) => Buffer.byteLength(JSON.stringify(x)) + 1;

/**
 * Positions between nodes. Each node's live index must hold every unit and volunteer, whichever
 * node the fix came in on, yet a volunteer's position never enters the log (docs/privacy.md). So
 * the fixes taken here are held for {@link RELAY_EVERY_MS} (the latest per id) and broadcast to
 * the other nodes in batches that fit a message; each node puts what it receives into its index
 * only — no log write, and never passed on again. A volunteer going off duty or deleted leaves
 * every node's index from the log, which each node follows, and a fix relayed after that is
 * refused by the receiver's own reading of the volunteer.
 */
export class PositionRelay implements PositionSink {
  private readonly pending = new Map<string, Item>();
  private cancel: (() => void) | undefined;
  private received: Promise<void> = Promise.resolve();
  private stop: (() => void) | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly clock: Clock,
    /** Puts a batch from another node into this node's index; batches are given one at a time, in order. */
    private readonly receive: (batch: RelayedPositions) => Promise<void>,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  start(): void {
    this.stop = this.cluster.onMessage(POSITIONS_TOPIC, (p) => {
      const batch = read(p as Batch);
      this.received = this.received.then(() => this.receive(batch)).catch(this.onError);
    });
  }

  taken(fix: PositionFix, unit: boolean): void {
    this.hold([unit ? 'u' : 'v', fix.id, fix.lat, fix.lon, fix.atMs]);
  }

  /** Resolves once every batch received so far is in the index. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.received) await (seen = this.received);
  }

  /** Sends what is held and stops listening. */
  close(): void {
    this.cancel?.();
    this.flush();
    this.stop?.();
  }

  private hold(item: Item): void {
    // Only the latest of an id matters; deleting first keeps the batch in the order of the last change.
    this.pending.delete(item[1]);
    this.pending.set(item[1], item);
    this.cancel ??= this.clock.after(RELAY_EVERY_MS, () => this.flush());
  }

  private flush(): void {
    this.cancel = undefined;
    const room =
      BROADCAST_MAX_BYTES - Buffer.byteLength(JSON.stringify({ topic: POSITIONS_TOPIC, payload: { f: [] } })) - SLACK_BYTES;
    let chunk: Item[] = [];
    let size = 0;
    const send = () => {
      if (chunk.length === 0) return;
      try {
        this.cluster.broadcast(POSITIONS_TOPIC, { f: chunk } satisfies Batch);
      } catch (e) {
        this.onError(e);
      }
      chunk = [];
      size = 0;
    };
    for (const item of this.pending.values()) {
      const n = itemBytes(item);
      if (size + n > room) send();
      chunk.push(item);
      size += n;
    }
    send();
    this.pending.clear();
  }
}

function read(b: Batch): RelayedPositions {
  const units: PositionFix[] = [];
  const volunteers: PositionFix[] = [];
  for (const item of Array.isArray(b?.f) ? b.f : []) (item[0] === 'u' ? units : volunteers).push({ id: item[1], lat: item[2], lon: item[3], atMs: item[4] });
  return { units, volunteers };
}
