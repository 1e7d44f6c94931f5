import type { Cluster } from '../store/cluster.ts';

/** Work that must run on one node at a time: started when this node becomes the leader, stopped when it stops being it. */
export interface LeaderTask {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The leader-only work of a node: the response engine, the alert queue's intake and delivery, the
 * hand-over sender, the webhooks, housekeeping. Each runs exactly on the node the cluster made
 * leader (alone, that is this node at once); when another node takes over, it catches up from
 * what the store holds, as after a restart. Changes are applied one after the other, in order.
 */
export class LeaderWork {
  private chain: Promise<void> = Promise.resolve();
  private leading = false;
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly tasks: readonly LeaderTask[],
    private readonly onError: (what: string, e: unknown) => void,
  ) {}

  /** Whether the leader's work runs here now (or is starting). */
  get active(): boolean {
    return this.leading;
  }

  /** Campaigns; alone (LocalCluster) the work starts at once, and `idle()` waits for it. */
  campaign(): void {
    this.cluster.lead({ onGained: () => this.turn(true), onLost: () => this.turn(false) });
  }

  /** Resolves once every start or stop asked so far is done. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.chain) await (seen = this.chain);
  }

  /** Stops the work for good (the node is closing); the cluster hands the lead on when it closes. */
  async close(): Promise<void> {
    this.closed = true;
    this.turn(false);
    await this.idle();
  }

  private turn(on: boolean): void {
    this.chain = this.chain.then(async () => {
      if ((on && this.closed) || on === this.leading) return;
      this.leading = on;
      for (const t of on ? this.tasks : [...this.tasks].reverse()) {
        try {
          await (on ? t.start() : t.stop());
        } catch (e) {
          this.onError(`${on ? 'starting' : 'stopping'} ${t.name}`, e);
        }
      }
    });
  }
}

/**
 * A sender that works only while this node leads (hand-overs, webhooks): a fresh one each term,
 * since a closed sender stays closed; between terms a sender that was never started, which
 * ignores the log, stands in.
 */
export class PerTerm<T extends { start(): Promise<void>; close(): Promise<void> }> implements LeaderTask {
  private current: T;

  constructor(
    readonly name: string,
    private readonly make: () => T,
  ) {
    this.current = make();
  }

  get sender(): T {
    return this.current;
  }

  start(): Promise<void> {
    return this.current.start();
  }

  async stop(): Promise<void> {
    const old = this.current;
    this.current = this.make();
    await old.close();
  }
}
