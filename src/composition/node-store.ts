import type { StreamState } from '../core/loaded.ts';
import { domainProjector } from '../log/projector.ts';
import type { Cluster } from '../store/cluster.ts';
import { LocalCluster } from '../store/local-cluster.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite.ts';
import { StorageUnavailable } from '../store/storage-unavailable.ts';
import type { Store } from '../store/store.ts';
import { DataDirUnusable, secureDataDir } from './data-dir.ts';

/** Where a node keeps the log and its tables, and who its other nodes are. */
export interface NodeStore {
  readonly tables: Store<StreamState>;
  readonly cluster: Cluster;
  /** No other node can exist (SQLite or memory with a cluster of its own): nothing to relay. */
  readonly alone: boolean;
  /** Read the head every second for commits nobody announced (other processes on one SQLite file), or whose notice was missed. */
  readonly pollHead: boolean;
  /** For the start-up banner: which store, without a password. */
  readonly description: string;
}

export interface NodeStoreOptions {
  readonly dataDir: string;
  /** A PostgreSQL URL: the log there, shared with the other nodes. */
  readonly database?: string;
  readonly store?: (projector: typeof domainProjector, clock: () => number) => Store<StreamState>;
  readonly cluster?: Cluster;
}

/** The SQLite store of a data dir, its files (the database, -wal, -shm) closed to all but the owner. */
function openDataDirStore(dataDir: string, clock: () => number): Store<StreamState> {
  let tables: Store<StreamState>;
  try {
    tables = openSqliteStore<StreamState>(dataDir, domainProjector, clock);
  } catch (e) {
    if (e instanceof StorageUnavailable) throw new DataDirUnusable(`cannot open the database in the data directory ${dataDir}: ${e.detail}`);
    throw e;
  }
  secureDataDir(dataDir);
  return tables;
}

/**
 * PostgreSQL with `database` (migrated on open, the nodes joined through it), else the store given
 * (tests), else SQLite in the data dir; a node on SQLite or memory is alone unless a cluster is given.
 */
export async function openNodeStore(o: NodeStoreOptions, clock: () => number): Promise<NodeStore> {
  if (o.database !== undefined) {
    // Loaded only here: a node on SQLite never touches pg.
    const [{ openPostgresStore }, { openPostgresCluster }, { describeDatabase }] = await Promise.all([
      import('../store/postgres/open-postgres.ts'),
      import('../store/postgres/postgres-cluster.ts'),
      import('../store/postgres/pg-pool.ts'),
    ]);
    const { store, pool } = await openPostgresStore<StreamState>(o.database, domainProjector, clock);
    let cluster: Cluster;
    try {
      cluster = o.cluster ?? (await openPostgresCluster(pool, o.database));
    } catch (e) {
      await store.close();
      throw e;
    }
    // LISTEN brings other nodes' commits within milliseconds; the head is still read every second, to
    // make good a notice that came before the listener was set up or whose read failed.
    return { tables: store, cluster, alone: false, pollHead: true, description: `PostgreSQL ${describeDatabase(o.database)}` };
  }
  const tables = o.store ? o.store(domainProjector, clock) : openDataDirStore(o.dataDir, clock);
  return {
    tables,
    cluster: o.cluster ?? new LocalCluster(),
    alone: o.cluster === undefined,
    pollHead: o.cluster === undefined,
    description: o.store ? 'the store given' : `SQLite in ${o.dataDir}`,
  };
}
