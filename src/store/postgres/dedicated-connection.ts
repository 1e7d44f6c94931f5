import pg from 'pg';
import { CONNECTION_SETTINGS } from './pg-pool.ts';

export interface DedicatedConnectionOptions {
  readonly url: string;
  /** Shown in pg_stat_activity, so an operator (or a test) can tell the node's connections apart. */
  readonly applicationName: string;
  /** Runs on each new connection; the connection counts as open once it resolves. */
  opened(client: pg.Client): Promise<void>;
  /** An open connection was lost (not called for attempts that never opened, nor on close). */
  dropped(): void;
  onError(error: Error): void;
  /** First wait before reconnecting, doubled on each failure up to `reconnectMaxMs` (ms). */
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** How often an idle open connection is checked (ms). */
  readonly heartbeatMs: number;
  /** A check unanswered for this long counts as a lost connection (ms). */
  readonly heartbeatTimeoutMs: number;
}

/**
 * One connection of its own, outside any pool, kept open: when it ends, errors or stops answering,
 * it is dropped and opened again after a backoff. A session that must outlive a query (LISTEN, a
 * session lock) needs one; a connection that silently went away must be noticed by this node and
 * not only by the server, hence the heartbeat.
 */
export class DedicatedConnection {
  private current: pg.Client | undefined;
  private open = false;
  private closed = false;
  private delay: number;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  private first: { resolve(): void; reject(e: Error): void } | undefined;

  constructor(private readonly options: DedicatedConnectionOptions) {
    this.delay = options.reconnectMinMs;
  }

  /** Starts; resolves when the first connection is open, rejects if the first attempt fails (retries go on until close). */
  opening(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => (this.first = { resolve, reject }));
    this.start();
    return done;
  }

  /** The open connection, if any. */
  get client(): pg.Client | undefined {
    return this.open ? this.current : undefined;
  }

  start(): void {
    if (this.closed || this.current !== undefined || this.retry !== undefined) return;
    const o = this.options;
    const client = new pg.Client({ connectionString: o.url, application_name: o.applicationName, ...CONNECTION_SETTINGS });
    this.current = client;
    client.on('error', (e) => this.lose(client, e));
    client.on('end', () => this.lose(client, undefined));
    client
      .connect()
      .then(() => o.opened(client))
      .then(() => {
        if (this.current !== client) return;
        this.open = true;
        this.delay = o.reconnectMinMs;
        this.first?.resolve();
        this.first = undefined;
        this.beat(client);
      })
      .catch((e: unknown) => this.lose(client, e instanceof Error ? e : new Error(String(e))));
  }

  /** Treats the connection as lost (a check went unanswered); a new one follows. */
  lose(client: pg.Client, error: Error | undefined): void {
    if (this.current !== client) return;
    const wasOpen = this.open;
    this.current = undefined;
    this.open = false;
    clearTimeout(this.heartbeat);
    // Not awaited: on a dead peer the goodbye may never be answered.
    client.end().catch(() => {});
    if (this.closed) return;
    if (this.first !== undefined) this.first.reject(error ?? new Error(`${this.options.applicationName}: the connection ended`));
    else if (error !== undefined) this.options.onError(error);
    this.first = undefined;
    if (wasOpen) this.options.dropped();
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.start();
    }, this.delay);
    this.retry.unref();
    this.delay = Math.min(this.delay * 2, this.options.reconnectMaxMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.heartbeat);
    const client = this.current;
    this.current = undefined;
    this.open = false;
    if (client === undefined) return;
    // Ending the session releases its locks on the server; a server that does not answer is not waited for.
    await Promise.race([client.end().catch(() => {}), new Promise((r) => setTimeout(r, this.options.heartbeatTimeoutMs).unref())]);
  }

  private beat(client: pg.Client): void {
    this.heartbeat = setTimeout(() => {
      if (this.current !== client) return;
      const late = setTimeout(() => this.lose(client, new Error(`${this.options.applicationName}: no answer in ${this.options.heartbeatTimeoutMs} ms`)), this.options.heartbeatTimeoutMs);
      late.unref();
      client
        .query('SELECT 1')
        .then(() => {
          clearTimeout(late);
          if (this.current === client) this.beat(client);
        })
        .catch((e: unknown) => {
          clearTimeout(late);
          this.lose(client, e instanceof Error ? e : new Error(String(e)));
        });
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
  }
}
