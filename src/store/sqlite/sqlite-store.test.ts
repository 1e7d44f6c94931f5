import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PendingEvent } from '../../core/events.ts';
import { describeStoreContract, testProjector } from '../contract.ts';
import { IDEMPOTENCY_TTL_MS, type AppendRequest } from '../event-store.ts';
import { openSqliteStore } from './open-sqlite.ts';
import type { SqliteStore } from './sqlite-store.ts';

describeStoreContract('SQLite', (dir, projector, clock) => openSqliteStore(dir, projector, clock), {
  // All of them: the table itself is dropped (the store recreates it empty); some: their rows are deleted.
  dropSnapshots: (store, streams) => {
    const db = (store.events as SqliteStore<unknown>).database;
    if (streams === undefined) db.exec('DROP TABLE snapshots');
    else for (const stream of streams) db.prepare('DELETE FROM snapshots WHERE stream = ?').run(stream);
  },
});

describe('SQLite: Idempotency-Key records', () => {
  it('expired records are deleted from the file by the next write of a key, not only hidden', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-idem-'));
    let now = Date.parse('2025-06-01T12:00:00.000Z');
    const store = openSqliteStore(dir, testProjector, () => now);
    try {
      const keyed = (stream: string, key: string): AppendRequest => ({
        expected: new Map([[stream, 0]]),
        events: [{ stream, type: 'Added', at: new Date(now).toISOString(), data: { item: stream } } as unknown as PendingEvent],
        actor: { kind: 'system', id: 'test' },
        idempotency: { key, fingerprint: key, result: stream },
      });
      const rows = () => (store.events as SqliteStore<unknown>).database.prepare('SELECT key FROM idempotency ORDER BY key').pluck().all();
      expect((await store.events.append(keyed('box-1', 'old-1'))).ok).toBe(true);
      expect((await store.events.append(keyed('box-2', 'old-2'))).ok).toBe(true);
      now += IDEMPOTENCY_TTL_MS + 60_000;
      expect((await store.events.append(keyed('box-3', 'new'))).ok).toBe(true);
      expect(rows()).toEqual(['new']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
