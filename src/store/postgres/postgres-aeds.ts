import type pg from 'pg';
import type { AedRecord } from '../../core/aed.ts';
import type { AedStore } from '../aed-store.ts';
import { parse } from '../memory/json.ts';
import type { RecordWrite } from '../record-writes.ts';
import { announce, followNews, MirrorQueue, type TableNews } from './postgres-table-news.ts';

const NEWS = 'a';

/**
 * The AED registry's table in PostgreSQL: one row per defibrillator, replaced whole by each import
 * that names it. The port reads synchronously, so each node keeps a mirror of the rows (their JSON
 * text, as stored) loaded at start and re-read after its own appends (`settle`) and on other nodes'
 * news, as the volunteer profiles' mirror is.
 */
export class PostgresAeds implements AedStore {
  private rows = new Map<string, string>();
  /** The rows in id order, as SQLite's `ORDER BY id` gives them; dropped on every change. */
  private sorted: readonly string[] | undefined;
  private readonly queue: MirrorQueue;

  constructor(private readonly pool: pg.Pool) {
    this.queue = new MirrorQueue(() => this.reloadAll(), 'AED mirror');
  }

  /** Reads the whole table into the mirror; the store calls it once before the first read. */
  load(): Promise<void> {
    return this.queue.run(() => this.reloadAll());
  }

  /** Keeps the mirror in step with other nodes' commits. */
  follow(news: TableNews): void {
    followNews(news, NEWS, this.queue, (keys) => this.reread(keys), () => this.reloadAll());
  }

  all(): AedRecord[] {
    this.sorted ??= [...this.rows.keys()].sort().map((id) => this.rows.get(id)!);
    return this.sorted.map((text) => parse<AedRecord>(text));
  }

  /** Applies `aed.put` inside the append's transaction; false for other writes. */
  async apply(client: pg.PoolClient, w: RecordWrite): Promise<boolean> {
    if (w.type !== 'aed.put') return false;
    if (w.records.length > 0) {
      await client.query(
        `INSERT INTO aeds (id, record, updated_at) SELECT id, record, $3 FROM unnest($1::text[], $2::text[]) AS r(id, record)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
        [w.records.map((r) => r.id), w.records.map((r) => JSON.stringify(r)), w.at],
      );
    }
    await announce(client, NEWS, w.records.map((r) => r.id));
    return true;
  }

  /** After an append with `records` (committed or not): the mirror re-reads the rows they name. */
  settle(records: readonly RecordWrite[] | undefined): Promise<void> {
    const ids = (records ?? []).flatMap((w) => (w.type === 'aed.put' ? w.records.map((r) => r.id) : []));
    if (ids.length === 0) return Promise.resolve();
    return this.queue.run(() => this.reread(ids)).catch(() => {});
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  private async reread(ids: readonly string[]): Promise<void> {
    const r = await this.pool.query<{ id: string; record: string }>('SELECT id, record FROM aeds WHERE id = ANY($1::text[])', [ids]);
    const found = new Map(r.rows.map((row) => [row.id, row.record]));
    for (const id of ids) {
      const record = found.get(id);
      if (record === undefined) this.rows.delete(id);
      else this.rows.set(id, record);
    }
    this.sorted = undefined;
  }

  private async reloadAll(): Promise<void> {
    const r = await this.pool.query<{ id: string; record: string }>('SELECT id, record FROM aeds');
    this.rows = new Map(r.rows.map((row) => [row.id, row.record]));
    this.sorted = undefined;
  }
}
