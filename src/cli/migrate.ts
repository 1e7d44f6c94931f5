import { MIGRATIONS, runMigrations } from '../store/postgres/migrations.ts';
import { describeDatabase, isPostgresUrl, openPool } from '../store/postgres/pg-pool.ts';
import { pgStorageFailureOf } from '../store/postgres/postgres-errors.ts';
import { parse } from './args.ts';
import { UsageError } from './usage-error.ts';

/**
 * `samaritan migrate`: brings the PostgreSQL database up to the schema this release needs, as each
 * node also does on start; run by hand before a deployment, or to see where a database stands.
 */
export async function migrate(args: string[]): Promise<number> {
  const { values } = parse(args, { 'database-url': { type: 'string' } });
  const url = values['database-url'] ?? process.env['DATABASE_URL'] ?? '';
  if (url === '') throw new UsageError('no database: set DATABASE_URL or pass --database-url postgres://…');
  if (!isPostgresUrl(url)) throw new UsageError('the database URL must be a postgres:// or postgresql:// URL');
  const pool = openPool(url);
  try {
    const { applied } = await runMigrations(pool, (line) => process.stdout.write(`${line}\n`));
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    if (applied.length === 0) process.stdout.write(`${describeDatabase(url)} is up to date (version ${latest})\n`);
    return 0;
  } catch (e) {
    const failure = pgStorageFailureOf(e);
    if (failure === undefined) throw e;
    // Never the URL itself: it may carry the password.
    process.stderr.write(`samaritan migrate: cannot use the database at ${describeDatabase(url)}: ${failure.detail}.\n`);
    return 1;
  } finally {
    await pool.end();
  }
}
