import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../src/core/events.ts';
import { addVolunteer, CITY_HALL, eventually, offset, ofType, postIncident } from './support/responders.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToken, killAllServers, spawnServer } from './support/child-server.ts';
import { startTestPostgres, type TestPostgres } from './support/postgres.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * Two nodes in one process on one PostgreSQL database, each with its own pool and its own cluster
 * connections, as two processes would have: what one commits or takes reaches the other through
 * LISTEN/NOTIFY, and one of them leads.
 */
describe('two nodes on PostgreSQL', () => {
  let pg: TestPostgres;
  let nodes: TestServer[] = [];
  const leaderOf = () => nodes.find((t) => t.app.cluster.isLeader);

  beforeAll(async () => {
    pg = await startTestPostgres();
    const url = await pg.createDatabase('nodes');
    // Both at once on an empty database: one migrates and seeds, the other waits and finds it done.
    nodes = await Promise.all([startTestServer({ database: url }), startTestServer({ database: url })]);
    await eventually(() => leaderOf(), 10_000, 'a leader');
  }, 120_000);
  afterAll(async () => {
    await killAllServers();
    for (const t of nodes) await t.close();
    await pg?.stop();
  });

  const log = async (t: TestServer): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for (;;) {
      const page = await t.app.store.readAfter(out.at(-1)?.seq ?? 0, 1000);
      if (page.length === 0) return out;
      out.push(...page);
    }
  };

  it('seeds the demo city once, and names its store', async () => {
    expect(nodes.filter((t) => t.app.demoCityLoaded)).toHaveLength(1);
    const stations = ofType(await log(nodes[0]!), 'StationOpened').map((e) => e.data.stationId);
    expect(stations.length).toBeGreaterThan(0);
    expect(new Set(stations).size).toBe(stations.length);
    for (const t of nodes) expect(t.app.storeDescription).toMatch(/^PostgreSQL /);
    expect(nodes.filter((t) => t.app.cluster.isLeader)).toHaveLength(1);
  });

  it('an incident created on one node reaches the other’s tail, and a unit fix its live index', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const id = await postIncident(a, { location: offset(CITY_HALL, 700, 700), nature: 'structure_fire', priority: 2 });
    const seq = await a.app.store.headSeq();
    await eventually(() => (b.app.tail.position >= seq ? true : undefined), 5000, 'b follows a');
    expect((await b.request('GET', `/api/incidents/${id}`)).status).toBe(200);

    const unit = a.app.fleet.units()[0]!;
    const at = offset(CITY_HALL, -444, 222);
    expect((await a.request('POST', `/api/units/${unit.id}/position`, at)).status).toBe(202);
    await eventually(() => (b.app.positions.index.get(unit.id)?.lat === at.lat ? true : undefined), 5000, 'the fix on b');
  });

  it('a volunteer’s position taken on one node is in the other’s index, never in the log', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const v = await addVolunteer(b, { at: offset(CITY_HALL, 171, -93) });
    await eventually(() => (a.app.positions.index.get(v.id)?.lon === v.at.lon ? true : undefined), 5000, 'the volunteer on a');
    const text = JSON.stringify(await log(a));
    expect(text).not.toContain(String(v.at.lat));
  });

  it('when the leader closes, the other node leads', async () => {
    const was = leaderOf()!;
    await was.close();
    nodes = nodes.filter((t) => t !== was);
    const next = await eventually(() => leaderOf(), 10_000, 'a new leader');
    await next.app.leader.idle();
    expect(next.app.leader.active).toBe(true);
  });

  it('`serve` and the CLI open the database DATABASE_URL names: serve says so, and a token made by the CLI signs in there', async () => {
    const env = { DATABASE_URL: await pg.createDatabase('serve') };
    const dirs = [mkdtempSync(join(tmpdir(), 'samaritan-pg-serve-')), mkdtempSync(join(tmpdir(), 'samaritan-pg-cli-'))] as const;
    try {
      const served = await spawnServer(dirs[0], { env, timeoutMs: 60_000 });
      // The banner follows the listen that /healthz answered on.
      await eventually(() => (served.output().includes('API docs') ? true : undefined), 10_000, 'the banner');
      expect(served.output()).toMatch(/store: PostgreSQL \S+\/\S+/);
      expect(served.output()).not.toContain('samaritan-test');
      // Made from another data dir: the token lives in the database, not in the dir.
      const token = await createToken(dirs[1], 'dispatcher', env);
      const res = await served.request('GET', '/api/incidents', undefined, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      await served.kill('SIGTERM');
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});
