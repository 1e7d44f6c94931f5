import pg from 'pg';
import type { Queryable } from './pg-pool.ts';
import { pgStorageFailureOf } from './postgres-errors.ts';

/** The channel on which a commit says which mirrored rows it changed. */
export const TABLES_CHANNEL = 'samaritan_tables';
/** NOTIFY takes up to 8,000 bytes: above this, news says "everything" instead of listing rows. */
const MAX_NEWS_BYTES = 7_000;
/** How long a mirror waits before reading again after the server could not be reached (ms). */
const RETRY_MS = 1_000;

/**
 * News of `table` ('p' profiles, 'a' AEDs): the keys of the rows changed, or all of them. It goes
 * out with the transaction that wrote them (NOTIFY is delivered at commit, and not at all after a
 * rollback), so a mirror never hears of a change that did not happen.
 */
export async function announce(client: Queryable, table: string, keys: readonly string[] | 'all'): Promise<void> {
  let news = keys === 'all' ? `${table}:*` : `${table}:${JSON.stringify(keys)}`;
  if (Buffer.byteLength(news) > MAX_NEWS_BYTES) news = `${table}:*`;
  await client.query('SELECT pg_notify($1, $2)', [TABLES_CHANNEL, news]);
}

/** The keys named by a news payload of `table`, 'all', or undefined for another table's news. */
function keysOf(news: string, table: string): readonly string[] | 'all' | undefined {
  if (!news.startsWith(`${table}:`)) return undefined;
  const rest = news.slice(table.length + 1);
  return rest === '*' ? 'all' : (JSON.parse(rest) as string[]);
}

/**
 * One dedicated connection LISTENing on TABLES_CHANNEL, shared by a node's mirrors. When it is
 * lost it reconnects every RETRY_MS, and then tells `onReconnected` so the mirrors read everything
 * again: the news sent while it was away is gone.
 */
export class TableNews {
  private client: pg.Client | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(news: string) => void>();
  private readonly reconnected = new Set<() => void>();

  constructor(private readonly config: pg.ClientConfig) {}

  /** Connects and listens; rejects when the server cannot be reached. */
  start(): Promise<void> {
    return this.connect();
  }

  on(listener: (news: string) => void, onReconnected: () => void): void {
    this.listeners.add(listener);
    this.reconnected.add(onReconnected);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (m) => {
      if (m.channel !== TABLES_CHANNEL || m.payload === undefined) return;
      for (const listener of this.listeners) listener(m.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TABLES_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => {});
    this.retry();
  }

  private retry(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.connect().then(
        () => {
          if (!this.closed) for (const f of this.reconnected) f();
        },
        () => this.retry(),
      );
    }, RETRY_MS);
    this.timer.unref();
  }
}

/**
 * The one-at-a-time queue of a mirror's reads and writes: a read that started later applies later,
 * so a mirror never goes back to an older row. A read the server could not answer is made good by
 * reading everything again, every RETRY_MS until it succeeds.
 */
export class MirrorQueue {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly reloadAll: () => Promise<void>,
    private readonly what: string,
  ) {}

  /** Runs `task` after those queued before it; the promise settles with it. */
  run(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch((e: unknown) => this.failed(e));
    return run;
  }

  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    return this.chain;
  }

  private failed(e: unknown): void {
    if (this.closed) return;
    if (pgStorageFailureOf(e) === undefined) {
      // Not the server's trouble: a fault here. The mirror reads everything again rather than stay wrong.
      process.stderr.write(`${this.what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(this.reloadAll).catch(() => {}), RETRY_MS);
    this.timer.unref();
  }
}

/**
 * Keeps a mirror in step with other nodes' commits: the keys announced under `prefix` are read
 * again, and everything once the news connection was lost and made again (news may have been missed).
 */
export function followNews(
  news: TableNews,
  prefix: string,
  queue: MirrorQueue,
  reread: (keys: readonly string[]) => Promise<void>,
  reloadAll: () => Promise<void>,
): void {
  news.on(
    (payload) => {
      const keys = keysOf(payload, prefix);
      if (keys === undefined) return;
      void queue.run(() => (keys === 'all' ? reloadAll() : reread(keys))).catch(() => {});
    },
    () => void queue.run(reloadAll).catch(() => {}),
  );
}
