import type pg from 'pg';
import { CLUSTER_SCHEMA } from './schema-cluster.ts';
import { LOG_SCHEMA } from './schema-log.ts';
import { OUTBOX_LEASE_SCHEMA } from './schema-outbox-lease.ts';
import { SHORT_LIVED_SCHEMA } from './schema-short-lived.ts';
import { TABLES_SCHEMA } from './schema-tables.ts';

/** The versioned migrations, applied in order; a published one is never edited, only followed by another. */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  { version: 1, name: 'event log', sql: LOG_SCHEMA },
  { version: 2, name: 'tables beside the log', sql: TABLES_SCHEMA },
  { version: 3, name: 'short-lived records', sql: SHORT_LIVED_SCHEMA },
  { version: 4, name: 'cluster', sql: CLUSTER_SCHEMA },
  { version: 5, name: 'delivery queue leases', sql: OUTBOX_LEASE_SCHEMA },
];

/** The session advisory lock held while migrating ("SAMMIG"): two nodes starting at once take turns. */
export const MIGRATION_LOCK = 0x53414d4d4947;

/**
 * Applies the migrations the database has not had, each in its own transaction with its row in
 * `schema_migrations`, so a failure leaves the database at the last whole version. The whole run
 * holds MIGRATION_LOCK: a second node starting at the same moment waits, then finds nothing to do.
 * A version the database has and this list lacks (a newer node ran) is left alone. `migrations`
 * is for tests.
 */
export async function runMigrations(
  pool: pg.Pool,
  log: (line: string) => void = () => {},
  migrations: typeof MIGRATIONS = MIGRATIONS,
): Promise<{ applied: number[] }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version    integer PRIMARY KEY,
           name       text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const applied: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          if (m.sql.trim() !== '') await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw e;
        }
        applied.push(m.version);
        log(`applied migration ${m.version}: ${m.name}`);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch((e: unknown) => {
        // The session is gone, and its lock with it; the connection must not go back to the pool.
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
  } catch (e) {
    broken ??= e instanceof Error ? e : new Error(String(e));
    throw e;
  } finally {
    client.release(broken);
  }
}
