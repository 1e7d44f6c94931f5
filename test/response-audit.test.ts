import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { systemActor } from '../src/core/actor.ts';
import { DB_FILE } from '../src/store/sqlite/open-sqlite.ts';
import { ManualClock } from '../src/time/clock.ts';
import { addVolunteer, CITY_HALL, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';

/**
 * A volunteer's precise position at alert time is kept only in the alert audit table, for the
 * retention period, and never in the event log; a deleted volunteer's audit rows are anonymised.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('the alert-position audit', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  beforeAll(async () => {
    t = await startResponderServer({ clock, store: 'sqlite', responders: { webhook: null, firstUnitEtaS: async () => 400 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const rows = () => {
    const db = new Database(join(t.dataDir, DB_FILE), { readonly: true });
    try {
      return db.prepare('SELECT * FROM alert_position_audit ORDER BY alerted_at').all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };

  it('keeps where each volunteer was when alerted, in the audit table only, and purges it after the retention period', async () => {
    const at = offset(CITY_HALL, 123.4, 56.7);
    const v = await addVolunteer(t, { at });
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    const alert = ofType(await t.eventsAfter(before), 'VolunteerAlerted').find((e) => e.data.volunteerId === v.id)!;
    expect(alert).toBeDefined();
    const row = rows().find((r) => r['alert_id'] === `${id}.${v.id}`)!;
    expect(row).toMatchObject({ incident_id: id, volunteer_id: v.id, lat: at.lat, lon: at.lon });
    expect(row['distance_m']).toBeGreaterThan(100);
    expect(row['purge_after']).toBe(Date.parse(alert.at) + 30 * DAY);

    // Nowhere in the log: not in any event, whatever its type.
    const log = JSON.stringify(await t.eventsAfter(0));
    expect(log).not.toContain(String(at.lat));
    expect(log).not.toContain(String(at.lon));

    // The timer scheduler's housekeeping purges at start and every hour: kept until the retention
    // period is over, gone within the hour after.
    clock.advance(30 * DAY - 1);
    await t.settle();
    expect(await t.app.responders.outbox.purgeAlertPositions(clock.now())).toBe(0);
    expect(rows().find((r) => r['alert_id'] === `${id}.${v.id}`)).toBeDefined();
    clock.advance(HOUR);
    await t.settle();
    expect(rows().find((r) => r['alert_id'] === `${id}.${v.id}`)).toBeUndefined();
  });

  it('anonymises the rows of a volunteer who deletes their account: no position, no ids, the distance stays', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -500, -500) });
    const id = await postIncident(t, { location: offset(CITY_HALL, -520, -480), nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    expect(rows().some((r) => r['volunteer_id'] === v.id)).toBe(true);
    expect((await t.app.volunteers.erase(v.id, 'self', { actor: systemActor('test') })).ok).toBe(true);
    await t.settle();
    expect(rows().some((r) => r['volunteer_id'] === v.id || String(r['alert_id']).includes(v.id))).toBe(false);
    const anonymised = rows().filter((r) => r['incident_id'] === id);
    expect(anonymised).toHaveLength(1);
    expect(anonymised[0]).toMatchObject({ volunteer_id: null, lat: null, lon: null, fix_at: null });
    expect(anonymised[0]!['distance_m']).toBeGreaterThan(0);
  });
});
