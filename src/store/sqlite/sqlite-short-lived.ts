import type Database from 'better-sqlite3';
import { json, parse } from '../memory/json.ts';
import { checkChange, checkKeys } from '../short-lived-change.ts';
import type { ShortLivedStore } from '../short-lived-store.ts';

/**
 * Short-lived records in the log's SQLite file (table `short_lived`, schema.ts). Each call is one
 * statement or one IMMEDIATE transaction, so another process on the same file (the CLI) sees a
 * value taken once and an update whole.
 */
export class SqliteShortLived implements ShortLivedStore {
  private readonly q;
  private readonly updateTxn;

  constructor(private readonly db: Database.Database) {
    this.q = {
      put: db.prepare(
        `INSERT INTO short_lived (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      take: db.prepare<[string], { value: string; expires_at: number }>('DELETE FROM short_lived WHERE key = ? RETURNING value, expires_at'),
      get: db.prepare<[string, number], { value: string }>('SELECT value FROM short_lived WHERE key = ? AND expires_at > ?'),
      delete: db.prepare<[string]>('DELETE FROM short_lived WHERE key = ?'),
      // Keys with a prefix sort together from the prefix on (BINARY collation: byte order).
      from: db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM short_lived WHERE key >= ? ORDER BY key'),
      purge: db.prepare<[number]>('DELETE FROM short_lived WHERE expires_at <= ?'),
    };
    this.updateTxn = db.transaction(
      (keys: readonly string[], now: number, change: (current: readonly unknown[]) => { values: readonly unknown[]; expiresAt: number; result: unknown }) => {
        const current = keys.map((k) => {
          const row = this.q.get.get(k, now);
          return row === undefined ? undefined : parse(row.value);
        });
        const { values, expiresAt, result } = change(current);
        checkChange(keys, values, expiresAt);
        keys.forEach((k, i) => {
          const v = values[i];
          if (v === undefined) this.q.delete.run(k);
          else this.q.put.run(k, json(v), expiresAt);
        });
        return result;
      },
    );
  }

  async put(key: string, value: unknown, expiresAt: number): Promise<void> {
    this.q.put.run(key, json(value), expiresAt);
  }

  async take(key: string, now: number): Promise<unknown> {
    const row = this.q.take.get(key);
    return row !== undefined && row.expires_at > now ? parse(row.value) : undefined;
  }

  async get(key: string, now: number): Promise<unknown> {
    const row = this.q.get.get(key, now);
    return row === undefined ? undefined : parse(row.value);
  }

  async update<R>(
    keys: readonly string[],
    now: number,
    change: (current: readonly unknown[]) => { values: readonly unknown[]; expiresAt: number; result: R },
  ): Promise<R> {
    checkKeys(keys);
    // IMMEDIATE: the write lock is taken before the read, so another process cannot slip in between.
    return this.updateTxn.immediate(keys, now, change) as R;
  }

  async deleteWhere(prefix: string, matches: (value: unknown) => boolean): Promise<number> {
    return this.db.transaction(() => {
      let deleted = 0;
      const hits: { key: string }[] = [];
      for (const row of this.q.from.iterate(prefix)) {
        if (!row.key.startsWith(prefix)) break;
        if (matches(parse(row.value))) hits.push(row);
      }
      for (const h of hits) deleted += this.q.delete.run(h.key).changes;
      return deleted;
    }).immediate();
  }

  async purge(now: number): Promise<number> {
    return this.q.purge.run(now).changes;
  }
}
