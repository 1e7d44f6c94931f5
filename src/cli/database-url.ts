import { isPostgresUrl } from '../store/postgres/pg-pool.ts';
import { UsageError } from './usage-error.ts';

/**
 * The store of every command that opens the product: `DATABASE_URL` names the PostgreSQL that the
 * nodes of a deployment share; unset or empty, the data dir's SQLite.
 */
export function databaseFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): { database?: string } {
  const url = env['DATABASE_URL'];
  if (url === undefined || url === '') return {};
  if (!isPostgresUrl(url)) throw new UsageError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  return { database: url };
}
