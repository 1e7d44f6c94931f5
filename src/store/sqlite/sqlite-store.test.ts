import { describeStoreContract } from '../contract.ts';
import { openSqliteStore } from './open-sqlite.ts';
import type { SqliteStore } from './sqlite-store.ts';

describeStoreContract('SQLite', (dir, projector) => openSqliteStore(dir, projector), {
  // All of them: the table itself is dropped (the store recreates it empty); some: their rows are deleted.
  dropSnapshots: (store, streams) => {
    const db = (store.events as SqliteStore<unknown>).database;
    if (streams === undefined) db.exec('DROP TABLE snapshots');
    else for (const stream of streams) db.prepare('DELETE FROM snapshots WHERE stream = ?').run(stream);
  },
});
