import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../src/store/sqlite/open-sqlite.ts';
import { ManualClock } from '../src/time/clock.ts';
import { startResponderServer, type ResponderServer } from './support/responders.ts';

const HOUR = 3_600_000;

/** Throttle counts and one-time secrets are rows in the database: expired ones are deleted, not kept for ever. */
describe('short-lived records in the data dir', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  beforeAll(async () => {
    t = await startResponderServer({ clock, store: 'sqlite', responders: { webhook: null, firstUnitEtaS: async () => 400 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const keys = () => {
    const db = new Database(join(t.dataDir, DB_FILE), { readonly: true });
    try {
      return db.prepare('SELECT key FROM short_lived ORDER BY key').pluck().all() as string[];
    } finally {
      db.close();
    }
  };

  it('a stream ticket is kept as the hash of it only, and the hourly housekeeping deletes it once expired; a longer-lived record stays', async () => {
    const res = await t.request('POST', '/api/stream/ticket');
    expect(res.status).toBe(200);
    const ticket = (res.body as { ticket: string }).ticket;
    await t.app.shortLived.put('test:later', { kept: true }, clock.now() + 2 * HOUR);
    const stored = keys();
    expect(stored.filter((k) => k.startsWith('secret:stream-ticket:'))).toHaveLength(1);
    expect(stored.join('\n')).not.toContain(ticket);

    clock.advance(HOUR);
    await t.settle();
    expect(keys()).toEqual(['test:later']);
    expect(await t.app.shortLived.get('test:later', clock.now())).toEqual({ kept: true });
  });
});
