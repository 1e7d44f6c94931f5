import { join } from 'node:path';
import { describeEventStoreContract } from '../contract.ts';
import { SqliteStore } from './sqlite-store.ts';

describeEventStoreContract('SqliteStore', (dir, projector) => new SqliteStore(join(dir, 'store.db'), projector), {
  // All of them: the table itself is dropped (the store recreates it empty); some: their rows are deleted.
  dropSnapshots: (store, streams) => {
    const db = (store as SqliteStore<unknown>).database;
    if (streams === undefined) db.exec('DROP TABLE snapshots');
    else for (const stream of streams) db.prepare('DELETE FROM snapshots WHERE stream = ?').run(stream);
  },
});
