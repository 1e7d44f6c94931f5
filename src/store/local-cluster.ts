import { randomUUID } from 'node:crypto';
import { checkBroadcastSize, type Cluster } from './cluster.ts';

type Listener = (payload: unknown, fromNode: string) => void;

/**
 * Nodes in one process: a single node on its own hub (SQLite, memory), or several joined on one hub
 * by a test, where broadcasts reach the other nodes, the first node still open leads, and a claim
 * or an exclusive is held by one node at a time, as PostgreSQL makes them across processes.
 */
export class LocalHub {
  private readonly nodes: LocalCluster[] = [];
  private readonly claims = new Set<string>();
  private readonly exclusives = new Map<string, Promise<unknown>>();

  /** A new node on this hub. */
  join(): LocalCluster {
    return new LocalCluster(this);
  }

  /** @internal */
  add(node: LocalCluster): void {
    this.nodes.push(node);
  }

  /** Tells every node that the log grew to `seq` (the shared store's commit, announced by whoever wraps it). */
  appended(seq: number): void {
    for (const n of this.nodes) n.heardAppended(seq);
  }

  /** @internal */
  send(from: LocalCluster, topic: string, payload: unknown): void {
    // Through JSON, as over the wire: a receiver shares nothing with the sender.
    const copy = JSON.parse(checkBroadcastSize(topic, payload)) as { payload: unknown };
    setImmediate(() => {
      for (const n of this.nodes) if (n !== from) n.heard(topic, copy.payload, from.nodeId);
    });
  }

  /** @internal */
  leaderChanged(): void {
    // A live leader keeps leading: a node that campaigns later does not take over, as with a lock.
    const current = this.nodes.find((n) => n.isLeader && n.campaigning);
    const leader = current ?? this.nodes.find((n) => n.campaigning);
    // The old leader hears that it lost before the new one hears that it gained.
    for (const n of this.nodes) if (n !== leader) n.setLeader(false);
    leader?.setLeader(true);
  }

  /** @internal */
  async claim<T>(key: string, fn: () => Promise<T>): Promise<{ claimed: true; value: T } | { claimed: false }> {
    if (this.claims.has(key)) return { claimed: false };
    this.claims.add(key);
    try {
      return { claimed: true, value: await fn() };
    } finally {
      this.claims.delete(key);
    }
  }

  /** @internal */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    while (this.exclusives.has(name)) await this.exclusives.get(name)!.catch(() => {});
    const run = fn();
    this.exclusives.set(name, run);
    try {
      return await run;
    } finally {
      this.exclusives.delete(name);
    }
  }

  /** @internal */
  leave(node: LocalCluster): void {
    const i = this.nodes.indexOf(node);
    if (i >= 0) this.nodes.splice(i, 1);
    this.leaderChanged();
  }
}

export class LocalCluster implements Cluster {
  readonly nodeId = randomUUID();
  private readonly appendedListeners = new Set<(seq: number) => void>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private handlers: { onGained(): void; onLost(): void } | undefined;
  private leading = false;
  private closed = false;

  /** A node alone on a hub of its own, unless a hub is given. */
  constructor(private readonly hub: LocalHub = new LocalHub()) {
    hub.add(this);
  }

  /** Whether this node campaigns for leadership (internal to the hub). */
  get campaigning(): boolean {
    return this.handlers !== undefined && !this.closed;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  onAppended(fn: (seq: number) => void): () => void {
    this.appendedListeners.add(fn);
    return () => this.appendedListeners.delete(fn);
  }

  broadcast(topic: string, payload: unknown): void {
    if (!this.closed) this.hub.send(this, topic, payload);
  }

  onMessage(topic: string, fn: Listener): () => void {
    let set = this.listeners.get(topic);
    if (set === undefined) this.listeners.set(topic, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.hub.exclusive(name, fn);
  }

  lead(handlers: { onGained(): void; onLost(): void }): void {
    this.handlers = handlers;
    this.hub.leaderChanged();
  }

  claim<T>(key: string, fn: () => Promise<T>): Promise<{ claimed: true; value: T } | { claimed: false }> {
    return this.hub.claim(key, fn);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const was = this.leading;
    this.leading = false;
    if (was) this.handlers?.onLost();
    this.closed = true;
    this.hub.leave(this);
    return Promise.resolve();
  }

  /** @internal */
  heard(topic: string, payload: unknown, from: string): void {
    if (this.closed) return;
    for (const fn of this.listeners.get(topic) ?? []) fn(payload, from);
  }

  /** @internal */
  heardAppended(seq: number): void {
    if (this.closed) return;
    for (const fn of this.appendedListeners) fn(seq);
  }

  /** @internal */
  setLeader(leader: boolean): void {
    if (leader === this.leading || this.closed) return;
    this.leading = leader;
    if (leader) this.handlers?.onGained();
    else this.handlers?.onLost();
  }
}
