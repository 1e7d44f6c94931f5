import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const MISSION = { lat: 37.7651, lon: -122.4197 };
/** About 100 m north of the Civic Center point. */
const NEAR_CIVIC = { lat: CIVIC_CENTER.lat + 0.0009, lon: CIVIC_CENTER.lon };

describe('incident search, nearby duplicates and greater alarms', () => {
  let t: TestServer;
  const clock = new ManualClock(Date.parse('2026-03-02T08:00:00.000Z'));
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer({ clock });
    const add = async (name: string, body: Record<string, unknown>) => {
      ids[name] = await createIncident(t, body);
      clock.advance(60_000);
    };
    await add('fire', { location: MISSION, nature: 'structure_fire', address: '2400 Mission St', notes: 'smoke from the third floor' });
    await add('arrest', { location: CIVIC_CENTER, nature: 'cardiac_arrest', address: '1 Dr Carlton B Goodlett Pl' });
    for (let i = 0; i < 5; i++) await add(`alarm${i}`, { location: MISSION, nature: 'alarm', address: `${2500 + i * 100} Mission St` });
    await add('nearCivic', { location: NEAR_CIVIC, nature: 'medical', address: '100 Larkin St' });
    const cancelled = await t.request('POST', `/api/incidents/${ids['alarm0']}/cancel`, { reason: 'false alarm' });
    expect(cancelled.status, cancelled.text).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: string) => {
    const res = await t.request('GET', `/api/incidents?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body as { incidents: { id: string; address: string; status: string; receivedAt: string }[]; next?: string };
  };

  it('still lists the open incidents, newest first, to a caller that passes nothing', async () => {
    const { incidents, next } = await list('');
    expect(incidents.map((i) => i.id)).toEqual([ids['nearCivic'], ids['alarm4'], ids['alarm3'], ids['alarm2'], ids['alarm1'], ids['arrest'], ids['fire']]);
    expect(next).toBeUndefined();
  });

  it('finds by words in the address, notes or id, any case, every word', async () => {
    expect((await list('q=THIRD%20floor&status=all')).incidents.map((i) => i.id)).toEqual([ids['fire']]);
    // Every word must match: "mission" in all the Mission St addresses, "2700" in one (ids are random,
    // so a short number like "27" could also match one of them).
    expect((await list('q=mission%202700&status=all')).incidents.map((i) => i.id)).toEqual([ids['alarm2']]);
    expect((await list(`q=${ids['arrest']!.toLowerCase()}`)).incidents.map((i) => i.id)).toEqual([ids['arrest']]);
  });

  it('filters by nature list, status and a window of time', async () => {
    expect((await list('nature=cardiac_arrest,medical')).incidents.map((i) => i.id)).toEqual([ids['nearCivic'], ids['arrest']]);
    expect((await list('status=cancelled&nature=alarm')).incidents.map((i) => i.id)).toEqual([ids['alarm0']]);
    // fire at 08:00, arrest at 08:01, alarm0 at 08:02 (cancelled), alarm1 at 08:03
    expect((await list('status=all&from=2026-03-02T08:01:00Z&to=2026-03-02T08:03:00Z')).incidents.map((i) => i.id)).toEqual([ids['alarm0'], ids['arrest']]);
  });

  it('pages with an opaque cursor until there is no next, seeing every incident once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await list(`status=all&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.incidents.map((i) => i.id));
      cursor = page.next;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual([ids['nearCivic'], ids['alarm4'], ids['alarm3'], ids['alarm2'], ids['alarm1'], ids['alarm0'], ids['arrest'], ids['fire']]);
  });

  it('sees an incident created just before the search', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor', address: '50 Fell St', notes: 'gas smell' });
    expect((await list('q=gas%20smell')).incidents.map((i) => i.id)).toEqual([id]);
  });

  it('refuses a page above 200 when searching, a cursor it did not give, and bad times', async () => {
    expectError(await t.request('GET', '/api/incidents?q=mission&limit=201'), 400, 'ValidationFailed');
    expectError(await t.request('GET', '/api/incidents?cursor=bm90LWEtY3Vyc29y'), 400, 'ValidationFailed');
    expectError(await t.request('GET', '/api/incidents?from=yesterday'), 400, 'ValidationFailed');
  });

  it('offers open or recent incidents near a point, nearest first, with their distance', async () => {
    const res = await t.request('GET', `/api/incidents/nearby?lat=${CIVIC_CENTER.lat}&lon=${CIVIC_CENTER.lon}`);
    expect(res.status, res.text).toBe(200);
    const near = res.body.incidents as { id: string; distanceM: number }[];
    expect(near[0]).toMatchObject({ distanceM: 0 });
    expect(near.map((i) => i.id)).toContain(ids['nearCivic']);
    expect(near.find((i) => i.id === ids['nearCivic'])!.distanceM).toBeGreaterThan(90);
    expect(near.map((i) => i.id)).not.toContain(ids['fire']);
    const tight = await t.request('GET', `/api/incidents/nearby?lat=${CIVIC_CENTER.lat}&lon=${CIVIC_CENTER.lon}&radiusM=50`);
    expect((tight.body.incidents as { id: string }[]).map((i) => i.id)).not.toContain(ids['nearCivic']);
  });

  it('leaves out a closed incident once it is older than the window', async () => {
    const at = `lat=${MISSION.lat}&lon=${MISSION.lon}`;
    expect(((await t.request('GET', `/api/incidents/nearby?${at}&minutes=30`)).body.incidents as { id: string }[]).map((i) => i.id)).toContain(ids['alarm0']);
    clock.advance(31 * 60_000);
    expect(((await t.request('GET', `/api/incidents/nearby?${at}&minutes=30`)).body.incidents as { id: string }[]).map((i) => i.id)).not.toContain(ids['alarm0']);
    expectError(await t.request('GET', `/api/incidents/nearby?${at}&radiusM=2001`), 400, 'ValidationFailed');
    expectError(await t.request('GET', `/api/incidents/nearby?${at}&minutes=241`), 400, 'ValidationFailed');
  });

  it('adds the greater alarm of the plan, and more units asked for, saying why', async () => {
    const first = (await t.request('GET', `/api/incidents/${ids['fire']}/recommendation`)).body;
    expect(first.plan).toEqual([{ capability: 'engine', count: 3 }, { capability: 'ladder', count: 1 }, { capability: 'command', count: 1 }]);
    const second = await t.request('GET', `/api/incidents/${ids['fire']}/recommendation?alarm=2`);
    expect(second.status, second.text).toBe(200);
    expect(second.body.plan).toEqual([{ capability: 'engine', count: 5 }, { capability: 'ladder', count: 2 }, { capability: 'command', count: 1 }]);
    expect(second.body.escalation.alarm).toBe(2);
    const engines = (second.body.candidates as { fills: string; reason: string }[]).filter((c) => c.fills === 'engine');
    expect(engines).toHaveLength(5);
    expect(engines.filter((c) => c.reason.includes('alarm 2 of the Structure fire plan'))).toHaveLength(2);
    for (const key of ['candidates', 'shortfalls', 'passedOver', 'plan', 'assigned']) expect(second.body).toHaveProperty(key);

    const more = await t.request('GET', `/api/incidents/${ids['fire']}/recommendation?more=engine:2&more=als`);
    expect(more.body.plan).toEqual([{ capability: 'engine', count: 5 }, { capability: 'ladder', count: 1 }, { capability: 'command', count: 1 }, { capability: 'als', count: 1 }]);
    expect((more.body.candidates as { reason: string }[]).filter((c) => c.reason.includes('more engine asked for'))).toHaveLength(2);
    const both = await t.request('GET', `/api/incidents/${ids['fire']}/recommendation?alarm=3&more=ladder:1,command:1`);
    expect(both.body.plan).toEqual([{ capability: 'engine', count: 7 }, { capability: 'ladder', count: 4 }, { capability: 'command', count: 3 }]);
  });

  it('refuses an alarm level the plan does not have, an unknown capability and a bad count', async () => {
    expectError(await t.request('GET', `/api/incidents/${ids['fire']}/recommendation?alarm=4`), 400, 'UnknownAlarmLevel');
    expectError(await t.request('GET', `/api/incidents/${ids['arrest']}/recommendation?alarm=2`), 400, 'UnknownAlarmLevel');
    expectError(await t.request('GET', `/api/incidents/${ids['fire']}/recommendation?more=spaceship:1`), 400, 'UnknownCapability');
    expectError(await t.request('GET', `/api/incidents/${ids['fire']}/recommendation?more=engine:0`), 400, 'ValidationFailed');
  });
});
