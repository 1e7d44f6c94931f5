import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { checkBroadcastSize, type Cluster } from '../cluster.ts';
import { EXCLUSIVE_LOCK_SPACE, Leadership } from './cluster-leadership.ts';
import { BUS_CHANNEL, ClusterListener } from './cluster-listener.ts';
import { CONNECTION_SETTINGS } from './pg-pool.ts';

export interface PostgresClusterOptions {
  /** Defaults to a random id. */
  readonly nodeId?: string;
  /** What goes wrong in the background (a connection lost, a listener that threw); defaults to stderr. */
  readonly onError?: (error: Error) => void;
  /** Between two attempts at leadership while another node leads (ms). */
  readonly leaderRetryMs?: number;
  /** First wait before reopening a lost connection, doubled up to `reconnectMaxMs` (ms). */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** How often the LISTEN and leader connections are checked, and how long an answer may take (ms). */
  readonly heartbeatMs?: number;
  readonly heartbeatTimeoutMs?: number;
  /** Connections for claims and exclusives, each held while its `fn` runs. */
  readonly lockConnections?: number;
}

/** Largest number of broadcasts sent in one statement. */
const BATCH = 500;

/**
 * The nodes of one deployment, through their PostgreSQL: LISTEN/NOTIFY for the log's growth and for
 * broadcasts, a session advisory lock for the leader, advisory locks for exclusives, and row locks
 * in `timer_claims` for claims. Resolves once the node listens.
 */
export async function openPostgresCluster(pool: pg.Pool, url: string, options: PostgresClusterOptions = {}): Promise<Cluster> {
  const cluster = new PostgresCluster(pool, url, options);
  try {
    await cluster.listener.open();
  } catch (e) {
    await cluster.close();
    throw e;
  }
  return cluster;
}

class PostgresCluster implements Cluster {
  readonly nodeId: string;
  readonly listener: ClusterListener;
  private readonly leadership: Leadership;
  /**
   * Claims and exclusives hold a connection while `fn` writes through the store's pool: on a pool of
   * their own, many timers firing at once cannot take every connection the writes need.
   */
  private readonly locks: pg.Pool;
  private readonly appendedListeners = new Set<(seq: number) => void>();
  private readonly messageListeners = new Map<string, Set<(payload: unknown, fromNode: string) => void>>();
  private readonly onError: (error: Error) => void;
  private readonly outgoing: string[] = [];
  private sending: Promise<void> | undefined;
  /** Numbers this node's broadcasts: PostgreSQL folds identical payloads sent in one transaction into one. */
  private sent = 0;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    url: string,
    options: PostgresClusterOptions,
  ) {
    this.nodeId = options.nodeId ?? randomUUID();
    const report = options.onError ?? ((e) => process.stderr.write(`cluster ${this.nodeId}: ${e.message}\n`));
    // What a closing connection says after close is nobody's concern.
    this.onError = (e) => {
      if (!this.closed) report(e);
    };
    const timing = {
      reconnectMinMs: options.reconnectMinMs ?? 100,
      reconnectMaxMs: options.reconnectMaxMs ?? 5_000,
      heartbeatMs: options.heartbeatMs ?? 1_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
    };
    this.listener = new ClusterListener({
      ...timing,
      url,
      nodeId: this.nodeId,
      appended: (seq) => this.each(this.appendedListeners, (fn) => fn(seq)),
      message: (topic, payload, from) => this.each(this.messageListeners.get(topic), (fn) => fn(payload, from)),
      onError: this.onError,
    });
    this.leadership = new Leadership({ ...timing, url, nodeId: this.nodeId, retryMs: options.leaderRetryMs ?? 500, onError: this.onError });
    this.locks = new pg.Pool({ connectionString: url, max: options.lockConnections ?? 4, application_name: `samaritan-locks:${this.nodeId}`, ...CONNECTION_SETTINGS });
    this.locks.on('error', this.onError);
    // A claim's connection sits idle in its transaction while the firing writes elsewhere: a session
    // ended meanwhile (a restart, a failover) is an 'error' on the client, which unheard ends the process.
    this.locks.on('connect', (client) => client.on('error', () => {}));
  }

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  onAppended(fn: (seq: number) => void): () => void {
    this.appendedListeners.add(fn);
    return () => this.appendedListeners.delete(fn);
  }

  broadcast(topic: string, payload: unknown): void {
    const json = checkBroadcastSize(topic, payload);
    if (this.closed) return;
    this.outgoing.push(`{"from":${JSON.stringify(this.nodeId)},"n":${++this.sent},${json.slice(1)}`);
    this.sending ??= this.send();
  }

  onMessage(topic: string, fn: (payload: unknown, fromNode: string) => void): () => void {
    let set = this.messageListeners.get(topic);
    if (set === undefined) this.messageListeners.set(topic, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.locks.connect();
    let healthy = false;
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [EXCLUSIVE_LOCK_SPACE, name]);
      try {
        return await fn();
      } finally {
        healthy = await this.settle(client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [EXCLUSIVE_LOCK_SPACE, name]));
      }
    } finally {
      // A connection in doubt is closed, which frees its lock on the server.
      client.release(!healthy);
    }
  }

  lead(handlers: { onGained(): void; onLost(): void }): void {
    this.leadership.lead(handlers);
  }

  async claim<T>(key: string, fn: () => Promise<T>): Promise<{ readonly claimed: true; readonly value: T } | { readonly claimed: false }> {
    const client = await this.locks.connect();
    let healthy = false;
    try {
      // Committed on its own, so that the row exists for the other nodes' SELECT … SKIP LOCKED.
      await client.query('INSERT INTO timer_claims (key) VALUES ($1) ON CONFLICT DO NOTHING', [key]);
      await client.query('BEGIN');
      const held = await client.query('SELECT key FROM timer_claims WHERE key = $1 FOR UPDATE SKIP LOCKED', [key]);
      if (held.rowCount === 0) {
        healthy = await this.settle(client.query('ROLLBACK'));
        return { claimed: false };
      }
      let value: T;
      try {
        value = await fn();
      } catch (e) {
        healthy = await this.settle(client.query('ROLLBACK'));
        throw e;
      }
      // fn's writes are committed already, through other connections: the claim answers what fn gave
      // even if this bookkeeping fails (the row lock goes with the connection).
      healthy = await this.settle(
        client.query('UPDATE timer_claims SET last_fired = now(), node = $2 WHERE key = $1', [key, this.nodeId]).then(() => client.query('COMMIT')),
      );
      return { claimed: true, value };
    } finally {
      client.release(!healthy);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.sending !== undefined) await this.sending;
    await Promise.all([this.leadership.close(), this.listener.close()]);
    await this.locks.end();
  }

  /** Sends what was broadcast, in order: one statement at a time, each carrying all that waits. */
  private async send(): Promise<void> {
    while (this.outgoing.length > 0) {
      const batch = this.outgoing.splice(0, BATCH);
      try {
        // unnest yields in array order, and notifications of one transaction are delivered in the order sent.
        await this.pool.query(`SELECT pg_notify('${BUS_CHANNEL}', m) FROM unnest($1::text[]) AS m`, [batch]);
      } catch (e) {
        this.onError(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.sending = undefined;
  }

  /** Whether `query` succeeded; a failure is reported, not thrown. */
  private settle(query: Promise<unknown>): Promise<boolean> {
    return query.then(
      () => true,
      (e: unknown) => {
        this.onError(e instanceof Error ? e : new Error(String(e)));
        return false;
      },
    );
  }

  private each<F>(listeners: Set<F> | undefined, call: (fn: F) => void): void {
    for (const fn of listeners ?? []) {
      try {
        call(fn);
      } catch (e) {
        this.onError(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}
