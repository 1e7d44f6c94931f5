import type { StoredEvent } from '../core/events.ts';
import type { EventStore } from '../store/event-store.ts';

/** A part of the app that follows the log: projections, reactors, the live stream. */
export type Follower = (events: readonly StoredEvent[]) => void;

const PAGE = 1000;

/**
 * The log as the rest of the process sees it: every committed event, once, in seq order, without
 * a gap. The writer hands over what it has just committed (`publish`), which reaches the followers
 * at once when it continues the tail; anything else (a gap, a commit by another process or node,
 * announced with `notify`) is read from the store by seq cursor, so followers never depend on
 * having been in the room when an event was written.
 */
export class LogTail {
  private readonly followers = new Set<Follower>();
  private target: number;
  private filling: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<EventStore<unknown>, 'readAfter'>,
    /** The seq every follower has seen: the log's head when the process started following. */
    private head: number,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.target = head;
  }

  /** The seq of the last event handed to the followers. */
  get position(): number {
    return this.head;
  }

  follow(follower: Follower): () => void {
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  /** Committed events from this process's writer. */
  publish(events: readonly StoredEvent[]): void {
    const fresh = events.filter((e) => e.seq > this.head);
    if (fresh.length === 0) return;
    const contiguous = fresh.every((e, i) => e.seq === this.head + 1 + i);
    if (contiguous && this.filling === undefined) this.deliver(fresh);
    else this.notify(fresh[fresh.length - 1]!.seq);
  }

  /** The log has grown to at least `seq` elsewhere: read what is missing, in order. */
  notify(seq: number): void {
    if (seq <= this.head) return;
    this.target = Math.max(this.target, seq);
    this.filling ??= this.fill()
      .catch(this.onError)
      .finally(() => {
        this.filling = undefined;
      });
  }

  /** Resolves once every notified event has reached the followers. */
  async idle(): Promise<void> {
    while (this.filling) await this.filling;
  }

  private async fill(): Promise<void> {
    while (this.head < this.target) {
      const page = await this.store.readAfter(this.head, PAGE);
      if (page.length === 0) return;
      this.deliver(page.filter((e) => e.seq > this.head));
    }
  }

  private deliver(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    this.head = events[events.length - 1]!.seq;
    for (const f of this.followers) {
      try {
        f(events);
      } catch (e) {
        this.onError(e);
      }
    }
  }
}
