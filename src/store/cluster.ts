/**
 * What the nodes of one deployment share besides the log: news that the log grew, messages between
 * nodes (positions, WebSocket frames), start-up done once, one leader for the work that must run
 * once, and claims so that exactly one node fires a timer. One node alone (SQLite, memory) is a
 * LocalCluster; several nodes on PostgreSQL share a PostgresCluster (postgres/postgres-cluster.ts).
 */
export interface Cluster {
  /** This process's id among the nodes (random at start). */
  readonly nodeId: string;
  /** Calls `fn` with the seq the log has grown to, after any node's commit (this node's included). */
  onAppended(fn: (seq: number) => void): () => void;
  /**
   * Sends `payload` to every other node listening on `topic`, at most once, in order per sender; a
   * node that is down misses it. JSON of at most BROADCAST_MAX_BYTES, else it throws.
   */
  broadcast(topic: string, payload: unknown): void;
  onMessage(topic: string, fn: (payload: unknown, fromNode: string) => void): () => void;
  /** Runs `fn` while no other node runs an `exclusive` of the same name (seeding an empty database). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Campaigns for leadership: `onGained` when this node becomes the leader, `onLost` if it stops
   * being it (its database connection is lost). One leader at a time; another takes over when the
   * leader's process ends.
   */
  lead(handlers: { onGained(): void; onLost(): void }): void;
  readonly isLeader: boolean;
  /** Runs `fn` holding the claim on `key`; `{ claimed: false }` at once when another node holds it. */
  claim<T>(key: string, fn: () => Promise<T>): Promise<{ readonly claimed: true; readonly value: T } | { readonly claimed: false }>;
  close(): Promise<void>;
}

/** The largest broadcast payload, as JSON bytes (PostgreSQL's NOTIFY takes under 8,000). */
export const BROADCAST_MAX_BYTES = 7_000;

export function checkBroadcastSize(topic: string, payload: unknown): string {
  const json = JSON.stringify({ topic, payload });
  if (Buffer.byteLength(json) > BROADCAST_MAX_BYTES) throw new Error(`broadcast on ${topic}: ${Buffer.byteLength(json)} bytes, over ${BROADCAST_MAX_BYTES}`);
  return json;
}
