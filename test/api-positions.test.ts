import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** 0.0027 degrees of latitude is about 300 m. */
const ABOUT_300_M = 0.0027;

describe('the AVL feed: POST /api/positions over HTTP on a real SQLite file', () => {
  const clock = new ManualClock();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock, demoVolunteers: false, store: 'sqlite' });
  });
  afterAll(async () => {
    await t.close();
  });

  const recorded = async () => {
    const events: { type: string; stream: string }[] = [];
    for (let after = 0; ; ) {
      const page = (await t.request('GET', `/api/events?after=${after}&limit=1000`)).body.events as { seq: number; type: string; stream: string }[];
      if (page.length === 0) return events.filter((e) => e.type === 'UnitPositionRecorded');
      events.push(...page);
      after = page[page.length - 1]!.seq;
    }
  };

  it('a batch updates the live map of every known unit at once and writes only the sampled fixes', async () => {
    const before = (await recorded()).length;
    const fixes = ['E01', 'E02', 'E03'].map((unitId, i) => ({ unitId, lat: 37.77 + i * 0.01, lon: -122.42 }));
    const first = await t.request('POST', '/api/positions', { fixes });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 3, recorded: 3, rejected: [] });

    clock.advance(1000);
    const jitter = await t.request('POST', '/api/positions', { fixes: fixes.map((f) => ({ ...f, lat: f.lat + 0.00002 })) });
    expect(jitter.body).toEqual({ accepted: 3, recorded: 0, rejected: [] });
    expect((await recorded()).length).toBe(before + 3);

    const units = (await t.request('GET', '/api/units')).body.units as { id: string; livePosition?: { lat: number } }[];
    expect(units.find((u) => u.id === 'E02')?.livePosition?.lat).toBeCloseTo(37.78002, 5);
  });

  it('an unknown unit in a batch is listed as rejected while the others are taken', async () => {
    const res = await t.request('POST', '/api/positions', {
      fixes: [
        { unitId: 'E05', lat: 37.75, lon: -122.43 },
        { unitId: 'NOPE', lat: 37.75, lon: -122.43 },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toEqual([{ index: 1, unitId: 'NOPE', code: 'UnknownUnit', reason: 'No unit has id NOPE' }]);
  });

  it('a batch with a fix stamped in the future, or out of range, is refused whole', async () => {
    const future = new Date(clock.now() + 10 * 60_000).toISOString();
    expectError(await t.request('POST', '/api/positions', { fixes: [{ unitId: 'E06', lat: 37.75, lon: -122.43, at: future }] }), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/positions', { fixes: [{ unitId: 'E06', lat: 97, lon: -122.43 }] }), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/positions', { fixes: [] }), 400, 'ValidationFailed');
  });

  it('a batch of thousands of fixes fits in one request', async () => {
    const units = ((await t.request('GET', '/api/units')).body.units as { id: string }[]).map((u) => u.id);
    const fixes = Array.from({ length: 5000 }, (_, i) => ({ unitId: units[i % units.length]!, lat: 37.74 + (i % 100) * 0.0001, lon: -122.44 }));
    clock.advance(120_000);
    const res = await t.request('POST', '/api/positions', { fixes });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(5000);
  });

  it('a unit on the road whose last fix went stale is passed over as stale_position, not guessed at its station', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'alarm' });
    await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E36'] });
    await t.request('POST', '/api/units/E36/status', { status: 'on_scene' });
    await t.request('POST', '/api/units/E36/status', { status: 'returning' });
    await t.request('POST', '/api/units/E36/position', { lat: CIVIC_CENTER.lat + ABOUT_300_M, lon: CIVIC_CENTER.lon });
    const other = await createIncident(t, { location: CIVIC_CENTER, nature: 'alarm' });

    const fresh = (await t.request('GET', `/api/incidents/${other}/recommendation`)).body;
    expect(fresh.candidates[0]).toMatchObject({ unitId: 'E36', turnoutS: 0 });

    clock.advance(10 * 60_000);
    const stale = (await t.request('GET', `/api/incidents/${other}/recommendation`)).body;
    expect(stale.candidates.map((c: { unitId: string }) => c.unitId)).not.toContain('E36');
    expect(stale.passedOver).toContainEqual(expect.objectContaining({ unitId: 'E36', code: 'stale_position' }));
  });
});
