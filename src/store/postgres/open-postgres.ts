import type pg from 'pg';
import type { Projector } from '../event-store.ts';
import type { Store } from '../store.ts';
import { runMigrations } from './migrations.ts';
import { openPool } from './pg-pool.ts';
import { pgStorageFailureOf } from './postgres-errors.ts';
import { guardStorage } from '../storage-unavailable.ts';
import { PostgresShortLived } from './postgres-short-lived.ts';
import { PostgresStore } from './postgres-store.ts';
import { openPostgresTables } from './postgres-tables.ts';

/** An opened PostgreSQL store, with its pool for what else the node keeps on the same server (the cluster). */
export interface PostgresHandle<S> {
  readonly store: Store<S>;
  readonly pool: pg.Pool;
}

/**
 * Opens the store on the PostgreSQL database at `url`: runs the migrations it lacks (unless
 * `migrate: false`), rebuilds stale snapshots, and assembles the log with the tables beside it on
 * one pool, so that a record write and its events share the append's transaction. A server that
 * cannot be reached is a StorageUnavailable, at the open and from every call after it.
 */
export async function openPostgresStore<S>(
  url: string,
  projector: Projector<S>,
  clock: () => number = () => Date.now(),
  options: { readonly migrate?: boolean } = {},
): Promise<PostgresHandle<S>> {
  const pool = openPool(url);
  try {
    if (options.migrate !== false) await runMigrations(pool);
    const log = await PostgresStore.open(pool, projector, clock);
    const tables = await openPostgresTables(pool);
    log.applyRecord = (client, w) => tables.apply(client, w);
    log.settle = (records) => tables.settle(records);
    const guard = <T extends object>(t: T) => guardStorage(t, pgStorageFailureOf, () => log.noticeStorageFailure());
    let closing: Promise<void> | undefined;
    const store: Store<S> = {
      events: guard(log),
      accounts: guard(tables.accounts),
      profiles: guard(tables.profiles),
      aeds: guard(tables.aeds),
      outbox: guard(tables.outbox),
      shortLived: guard(new PostgresShortLived(pool)),
      writable: () => log.writable(),
      // The appends accepted before close are committed first, then the mirrors stop, then the pool ends.
      close: () =>
        (closing ??= (async () => {
          await log.close();
          await tables.close();
          await pool.end();
        })()),
    };
    return { store, pool };
  } catch (e) {
    await pool.end().catch(() => {});
    throw pgStorageFailureOf(e) ?? e;
  }
}
