import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken, killAllServers, seededRandom, spawnServer, type ChildServer } from './support/child-server.ts';
import { CITY_HALL_CARDIAC_ARREST } from './support/server.ts';

/**
 * An acknowledged write survives a crash. The real server runs as a child process; bursts of
 * concurrent writes go over real HTTP; the process is killed with SIGKILL while requests are in
 * flight, restarted on the same data directory, and every write that got a 2xx must be there,
 * exactly once. Rerun a failure with DURABILITY_SEED=<the seed printed>.
 */
const SEED = Number(process.env['DURABILITY_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 5;
const WORKERS = 6;
/** How fetch fails when the server dies: before the answer (fetch failed) or during its body (terminated). */
const CONNECTION_LOST = /fetch failed|terminated/;

interface ApiEvent {
  seq: number;
  type: string;
  stream: string;
  version: number;
  data: Record<string, unknown>;
}
interface Assignment {
  unitId: string;
  active: boolean;
  dispatchedAt?: string;
  enRouteAt?: string;
  onSceneAt?: string;
  clearedAt?: string;
}
type Step = 'en_route' | 'on_scene' | 'available';
interface Acked {
  incidents: string[];
  dispatches: { incidentId: string; unitId: string }[];
  steps: { incidentId: string; unitId: string; to: Step }[];
}

const dirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-durability-'));
  dirs.push(dir);
  return dir;
};

afterAll(async () => {
  await killAllServers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The whole log, page by page, as a client reads it. */
async function readLog(s: ChildServer): Promise<ApiEvent[]> {
  const all: ApiEvent[] = [];
  for (;;) {
    const res = await s.request('GET', `/api/events?after=${all.at(-1)?.seq ?? 0}&limit=1000`);
    expect(res.status).toBe(200);
    if (res.body.events.length === 0) return all;
    all.push(...(res.body.events as ApiEvent[]));
  }
}

const count = <T>(items: readonly T[], pred: (t: T) => boolean) => items.filter(pred).length;

/** A location somewhere in San Francisco, so recommendations spread over the city's stations. */
const somewhere = (random: () => number) => ({
  lat: Math.round((37.715 + random() * 0.08) * 1e6) / 1e6,
  lon: Math.round((-122.505 + random() * 0.11) * 1e6) / 1e6,
});

/**
 * One worker: incident → recommendation → dispatch → en_route → on_scene → available, again and
 * again, recording each write that was acknowledged. Stops at the first failed connection.
 */
async function worker(s: ChildServer, random: () => number, acked: Acked, inFlight: { n: number }): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    inFlight.n++;
    try {
      return await s.request(method, path, body);
    } finally {
      inFlight.n--;
    }
  };
  for (;;) {
    const created = await call('POST', '/api/incidents', { ...CITY_HALL_CARDIAC_ARREST, location: somewhere(random) });
    if (created.status !== 201) continue;
    const incidentId = created.body.id as string;
    acked.incidents.push(incidentId);
    const rec = await call('GET', `/api/incidents/${incidentId}/recommendation`);
    const candidates = (rec.body?.candidates ?? []) as { unitId: string }[];
    if (candidates.length === 0) continue;
    const unitId = candidates[Math.floor(random() * Math.min(4, candidates.length))]!.unitId;
    const dispatched = await call('POST', `/api/incidents/${incidentId}/dispatch`, { unitIds: [unitId] });
    if (dispatched.status !== 200) continue; // another worker took the unit first
    acked.dispatches.push({ incidentId, unitId });
    for (const to of ['en_route', 'on_scene', 'available'] as const) {
      const moved = await call('POST', `/api/units/${unitId}/status`, { status: to });
      if (moved.status !== 200) break;
      acked.steps.push({ incidentId, unitId, to });
    }
  }
}

/** Every acknowledged write is in the restarted server, exactly once, and the read models agree with the log. */
async function expectAllAcknowledged(s: ChildServer, acked: Acked): Promise<ApiEvent[]> {
  const log = await readLog(s);
  // The log: seq 1, 2, 3, ... with no duplicate, and no stream version written twice.
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  expect(new Set(log.map((e) => `${e.stream}@${e.version}`)).size).toBe(log.length);
  expect((await s.request('GET', '/healthz')).body.head).toBe(log.length);

  const received = new Map<string, number>();
  for (const e of log) {
    if (e.type === 'IncidentReceived')
      received.set(e.data['incidentId'] as string, (received.get(e.data['incidentId'] as string) ?? 0) + 1);
  }
  const lost = acked.incidents.filter((id) => received.get(id) !== 1);
  expect(lost, 'acknowledged incidents missing from the log or in it twice').toEqual([]);
  expect([...received.values()].every((n) => n === 1)).toBe(true);

  const listed = (await s.request('GET', '/api/incidents?status=all&limit=5000')).body.incidents as {
    id: string;
    status: string;
  }[];
  expect(listed.length).toBe(received.size);
  for (const id of acked.incidents)
    expect(
      count(listed, (i) => i.id === id),
      `incident ${id} listed once`,
    ).toBe(1);

  for (const { incidentId, unitId } of acked.dispatches) {
    const sent = (e: ApiEvent) =>
      e.type === 'UnitsDispatched' && e.data['incidentId'] === incidentId && (e.data['unitIds'] as string[]).includes(unitId);
    expect(count(log, sent), `dispatch of ${unitId} to ${incidentId} in the log once`).toBe(1);
  }
  for (const { incidentId, unitId, to } of acked.steps) {
    const moved = (e: ApiEvent) =>
      e.type === 'UnitStatusChanged' && e.data['unitId'] === unitId && e.data['incidentId'] === incidentId && e.data['to'] === to;
    expect(count(log, moved), `${unitId} ${to} for ${incidentId} in the log once`).toBe(1);
  }

  // Each dispatched incident's read model and timeline show its acknowledged assignments.
  const dispatchedIncidents = [...new Set(acked.dispatches.map((d) => d.incidentId))];
  for (let i = 0; i < dispatchedIncidents.length; i += 8) {
    await Promise.all(
      dispatchedIncidents.slice(i, i + 8).map(async (incidentId) => {
        const res = await s.request('GET', `/api/incidents/${incidentId}`);
        expect(res.status).toBe(200);
        const assignments = res.body.assignments as Assignment[];
        const timeline = res.body.timeline as { type: string; data: { unitIds?: string[] } }[];
        for (const { unitId } of acked.dispatches.filter((d) => d.incidentId === incidentId)) {
          expect(assignments.find((a) => a.unitId === unitId)?.dispatchedAt, `${unitId} assigned to ${incidentId}`).toBeDefined();
          expect(count(timeline, (t) => t.type === 'UnitsDispatched' && (t.data.unitIds ?? []).includes(unitId))).toBe(1);
        }
        for (const { unitId, to } of acked.steps.filter((d) => d.incidentId === incidentId)) {
          const a = assignments.find((x) => x.unitId === unitId);
          const field = to === 'en_route' ? 'enRouteAt' : to === 'on_scene' ? 'onSceneAt' : 'clearedAt';
          expect(a?.[field], `${unitId} ${to} on ${incidentId}`).toBeDefined();
        }
      }),
    );
  }

  // Snapshots were written with the events: every unit's status is the last one its log says.
  const lastStatus = new Map<string, string>();
  for (const e of log) if (e.type === 'UnitStatusChanged') lastStatus.set(e.data['unitId'] as string, e.data['to'] as string);
  const units = (await s.request('GET', '/api/units')).body.units as { id: string; status: string }[];
  for (const u of units) expect(u.status, `unit ${u.id}`).toBe(lastStatus.get(u.id) ?? 'available');
  return log;
}

describe('durability: acknowledged writes survive kill -9 of the server', () => {
  it(`every acknowledged write is there exactly once after ${ROUNDS} crashes (seed ${SEED})`, async () => {
    console.log(`durability seed: ${SEED} (rerun with DURABILITY_SEED=${SEED})`);
    const killAfter = seededRandom(SEED);
    const dataDir = newDataDir();
    const token = await createToken(dataDir);
    const acked: Acked = { incidents: [], dispatches: [], steps: [] };
    let server = await spawnServer(dataDir, { token });
    for (let round = 1; round <= ROUNDS; round++) {
      const inFlight = { n: 0 };
      const before = { incidents: acked.incidents.length, dispatches: acked.dispatches.length, steps: acked.steps.length };
      const workers = Array.from({ length: WORKERS }, (_, w) =>
        worker(server, seededRandom(SEED + 1000 * round + w), acked, inFlight),
      );
      const settled = Promise.allSettled(workers);
      // Kill at a seeded moment of the burst, and only while requests are in flight.
      await new Promise((r) => setTimeout(r, 150 + Math.floor(killAfter() * 650)));
      while (inFlight.n === 0) await new Promise((r) => setImmediate(r));
      const inFlightAtKill = inFlight.n;
      await server.kill('SIGKILL');
      // Each worker stops on the dead connection, and on nothing else (a bug in the test would show here).
      for (const r of await settled) {
        expect(r.status).toBe('rejected');
        if (r.status === 'rejected') expect(String(r.reason), String((r.reason as Error)?.stack)).toMatch(CONNECTION_LOST);
      }

      server = await spawnServer(dataDir, { token });
      const log = await expectAllAcknowledged(server, acked);
      console.log(
        `round ${round}: killed with ${inFlightAtKill} requests in flight; acknowledged ` +
          `${acked.incidents.length - before.incidents} incidents, ${acked.dispatches.length - before.dispatches} dispatches, ` +
          `${acked.steps.length - before.steps} status changes; log head ${log.length}; lost 0`,
      );
    }
    expect(acked.incidents.length).toBeGreaterThan(0);
    expect(acked.dispatches.length).toBeGreaterThan(0);
    console.log(
      `durability total: ${ROUNDS} kills, ${acked.incidents.length + acked.dispatches.length + acked.steps.length} acknowledged writes ` +
        `(${acked.incidents.length} incidents, ${acked.dispatches.length} dispatches, ${acked.steps.length} status changes), none lost`,
    );
    await server.kill('SIGTERM');
  }, 90_000);

  it('an Idempotency-Key retried after a crash returns the same incident, not a duplicate', async () => {
    const random = seededRandom(SEED + 1);
    const dataDir = newDataDir();
    const token = await createToken(dataDir);
    let server = await spawnServer(dataDir, { token });
    const body = (i: number) => ({ ...CITY_HALL_CARDIAC_ARREST, location: { lat: 37.7, lon: -122.4 - i / 1000 } });
    const create = (s: ChildServer, i: number) =>
      s.request('POST', '/api/incidents', body(i), { 'idempotency-key': `crash-${SEED}-${i}` });
    const receivedAt = (log: ApiEvent[], i: number) =>
      log.filter((e) => e.type === 'IncidentReceived' && (e.data['location'] as { lon: number }).lon === body(i).location.lon);

    // Request 0 is acknowledged before the crash; requests 1..3 are in flight when it comes (each
    // before or after its commit, as the seeded timing falls).
    const first = await create(server, 0);
    expect(first.status).toBe(201);
    const inFlight = [1, 2, 3].map(async (i) => {
      await new Promise((r) => setTimeout(r, Math.floor(random() * 15)));
      return create(server, i).then(
        (r) => String(r.status),
        () => 'no answer',
      );
    });
    await new Promise((r) => setTimeout(r, Math.floor(random() * 25)));
    await server.kill('SIGKILL');
    const answered = await Promise.all(inFlight);
    server = await spawnServer(dataDir, { token });

    const retried = await create(server, 0);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.id).toBe(first.body.id);
    for (const i of [1, 2, 3]) {
      const a = await create(server, i);
      const b = await create(server, i);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      console.log(
        `idempotency after crash, request ${i}: first attempt ${answered[i - 1]}, ` +
          `retry ${a.headers.get('idempotent-replayed') ? 'replayed' : 'created'} ${a.body.id}`,
      );
    }

    // Exactly one incident per key, and no other.
    const log = await readLog(server);
    for (const i of [0, 1, 2, 3]) expect(receivedAt(log, i), `request ${i}`).toHaveLength(1);
    expect(receivedAt(log, 0)[0]?.data['incidentId']).toBe(first.body.id);
    const listed = (await server.request('GET', '/api/incidents?status=all')).body.incidents as { id: string }[];
    const logged = log.filter((e) => e.type === 'IncidentReceived').map((e) => e.data['incidentId']);
    expect(listed.map((i) => i.id).sort()).toEqual(logged.sort());
    expect(listed).toHaveLength(4);
    await server.kill('SIGTERM');
  }, 60_000);
});
