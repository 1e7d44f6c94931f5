import type pg from 'pg';
import { json, parse } from '../memory/json.ts';
import { checkChange, checkKeys } from '../short-lived-change.ts';
import type { ShortLivedStore } from '../short-lived-store.ts';

/**
 * The first key of the two-key advisory locks that serialise `update` per key: the log's locks use
 * the one-key (bigint) form, which PostgreSQL keeps apart from this one.
 */
const KEY_LOCKS = 0x53484c54;

/**
 * Short-lived records in PostgreSQL, shared by every node: `take` is one DELETE … RETURNING, so two
 * nodes presenting the same secret cannot both spend it; `update` holds a transaction-scoped
 * advisory lock per key (taken in one order, so two updates of overlapping keys cannot deadlock)
 * while it reads, decides and writes, so no node's change is lost to another's.
 */
export class PostgresShortLived implements ShortLivedStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(key: string, value: unknown, expiresAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO short_lived (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [keyText(key), json(value), expiresAt],
    );
  }

  async take(key: string, now: number): Promise<unknown> {
    const r = await this.pool.query<{ value: string; expires_at: string }>('DELETE FROM short_lived WHERE key = $1 RETURNING value, expires_at', [
      keyText(key),
    ]);
    const row = r.rows[0];
    return row !== undefined && Number(row.expires_at) > now ? parse(row.value) : undefined;
  }

  async get(key: string, now: number): Promise<unknown> {
    const r = await this.pool.query<{ value: string }>('SELECT value FROM short_lived WHERE key = $1 AND expires_at > $2', [keyText(key), now]);
    const row = r.rows[0];
    return row === undefined ? undefined : parse(row.value);
  }

  async update<R>(
    keys: readonly string[],
    now: number,
    change: (current: readonly unknown[]) => { values: readonly unknown[]; expiresAt: number; result: R },
  ): Promise<R> {
    checkKeys(keys);
    const texts = keys.map(keyText);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        // Volatile functions in the select list run after the ORDER BY: the locks are taken in hash order.
        await client.query('SELECT pg_advisory_xact_lock($1, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k) AS s ORDER BY h', [
          KEY_LOCKS,
          texts,
        ]);
        // A statement of its own, after the locks: read committed sees what the node before us committed.
        const r = await client.query<{ key: string; value: string }>('SELECT key, value FROM short_lived WHERE key = ANY($1::text[]) AND expires_at > $2', [
          texts,
          now,
        ]);
        const byKey = new Map(r.rows.map((row) => [row.key, row.value]));
        const current = texts.map((k) => {
          const text = byKey.get(k);
          return text === undefined ? undefined : parse(text);
        });
        const { values, expiresAt, result } = change(current);
        checkChange(keys, values, expiresAt);
        const kept = values.map((v) => (v === undefined ? undefined : json(v)));
        const gone = texts.filter((_, i) => kept[i] === undefined);
        const put = texts.flatMap((k, i) => (kept[i] === undefined ? [] : [[k, kept[i]] as const]));
        if (gone.length > 0) await client.query('DELETE FROM short_lived WHERE key = ANY($1::text[])', [gone]);
        if (put.length > 0) {
          await client.query(
            `INSERT INTO short_lived (key, value, expires_at) SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS t(k, v)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
            [put.map(([k]) => k), put.map(([, v]) => v), expiresAt],
          );
        }
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
          broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
        });
        throw e;
      }
    } finally {
      // A connection whose ROLLBACK failed is in no state to serve another caller: the pool drops it.
      client.release(broken);
    }
  }

  async deleteWhere(prefix: string, matches: (value: unknown) => boolean): Promise<number> {
    const r = await this.pool.query<{ key: string; value: string }>('SELECT key, value FROM short_lived WHERE starts_with(key, $1)', [keyText(prefix)]);
    const hits = r.rows.filter((row) => matches(parse(row.value)));
    if (hits.length === 0) return 0;
    // Only a value that is still the one matched goes: one changed meanwhile was not judged.
    const d = await this.pool.query(
      'DELETE FROM short_lived AS s USING unnest($1::text[], $2::text[]) AS d(k, v) WHERE s.key = d.k AND s.value = d.v',
      [hits.map((h) => h.key), hits.map((h) => h.value)],
    );
    return d.rowCount ?? 0;
  }

  async purge(now: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM short_lived WHERE expires_at <= $1', [now]);
    return r.rowCount ?? 0;
  }
}

/**
 * A key as PostgreSQL text, which cannot hold U+0000 (a sign-in name may): a backslash and a NUL
 * are escaped, each character on its own, so a key's prefix stays a prefix of its text.
 */
const keyText = (key: string): string => key.replace(/[\\\0]/g, (c) => (c === '\\' ? '\\\\' : '\\0'));
