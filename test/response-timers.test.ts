import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSamaritan } from '../src/composition/samaritan.ts';
import { systemActor } from '../src/core/actor.ts';
import type { StoredEvent } from '../src/core/events.ts';
import { epochMs } from '../src/core/ids.ts';
import { ManualClock, systemClock, type Clock } from '../src/time/clock.ts';
import { killAllServers, spawnServer, type ChildServer } from './support/child-server.ts';
import { addVolunteer, CITY_HALL, eventually, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';
import type { TestServer } from './support/server.ts';

/**
 * Timers are persisted deadlines: the next wave's `dueAt` and each alert's `expiresAt` live in the
 * response's snapshot. The scheduler fires what is due; the core accepts each firing once.
 */

describe('wave and expiry timers in one process', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  beforeAll(async () => {
    t = await startResponderServer({ clock, responders: { firstUnitEtaS: async () => 600, webhook: null } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fires wave 2 when it is due and each expiry once, however often the scheduler runs', async () => {
    for (let i = 0; i < 9; i++) await addVolunteer(t, { at: offset(CITY_HALL, 40 + i * 30, -40) });
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    let events = await t.eventsAfter(before);
    const scheduled = ofType(events, 'VolunteerWaveScheduled')[0]!;
    expect(scheduled.data).toMatchObject({ incidentId: id, wave: 2, dueAt: new Date(clock.now() + 30_000).toISOString() });
    expect(t.app.responders.timers.armed()[id]).toBe(scheduled.data.dueAt);

    const timers = t.app.responders.timers;
    clock.advance(29_999);
    await t.settle();
    await timers.fireDue();
    expect(ofType(await t.eventsAfter(before), 'VolunteerWaveSent')).toHaveLength(1);
    clock.advance(1); // the scheduler's own wake-up fires wave 2...
    await t.settle();
    await timers.fireDue(); // ...and running it again changes nothing
    await timers.fireDue();
    await t.settle();
    events = await t.eventsAfter(before);
    const waves = ofType(events, 'VolunteerWaveSent');
    expect(waves.map((w) => w.data.wave)).toEqual([1, 2]);
    expect(waves[1]!.data.volunteerIds).toHaveLength(4);
    // A second firing of the same wave is refused by the core.
    const again = await t.app.writer.execute({ type: 'SendNextWave', now: epochMs(clock.now()), incidentId: id, wave: 2 }, { actor: systemActor('test') });
    expect(again.ok ? 'accepted' : again.code).toBe('WaveNotScheduled');

    clock.advance(90_000); // wave 1's alerts (120 s) are now due to expire; wave 2's are not
    await t.settle();
    await timers.fireDue();
    await timers.fireDue();
    events = await t.eventsAfter(before);
    const expired = ofType(events, 'VolunteerAlertExpired');
    expect(expired).toHaveLength(5);
    expect(new Set(expired.map((e) => e.data.alertId)).size).toBe(5);
    clock.advance(30_000);
    await t.settle();
    expect(ofType(await t.eventsAfter(before), 'VolunteerAlertExpired')).toHaveLength(9);
    await timers.fireDue();
    await timers.fireDue();
    expect(ofType(await t.eventsAfter(before), 'VolunteerAlertExpired')).toHaveLength(9);
    expect(timers.armed()[id]).toBeUndefined();
  });
});

describe('timers across real restarts (kill -9)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-timers-'));
  let token = '';
  let incidentId = '';
  /** The real instant at which wave 1's alerts expire. */
  let expiresAtReal = 0;
  let prepared = 0;

  afterAll(async () => {
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The prepared data dir: a response whose wave 2 is already due and whose alerts expire 15 s from now. */
  beforeAll(async () => {
    const shift = 105_000;
    const past: Clock = { now: () => Date.now() - shift, after: (ms, fn) => systemClock.after(ms, fn) };
    const app = await openSamaritan({ dataDir: dir, clock: past, responders: { firstUnitEtaS: async () => 600, webhook: null } });
    const t = { app } as unknown as TestServer;
    for (let i = 0; i < 9; i++) await addVolunteer(t, { at: offset(CITY_HALL, 40 + i * 30, 40) });
    incidentId = 'I250601-RESTRT';
    const received = await app.writer.execute(
      {
        type: 'ReceiveIncident',
        now: epochMs(app.clock()),
        incidentId,
        details: { location: CITY_HALL, nature: 'cardiac_arrest', priority: 1, place: 'public' },
      },
      { actor: systemActor('test') },
    );
    expect(received.ok).toBe(true);
    await app.responders.settle();
    token = (await app.accounts.createToken({ name: 'timers', role: 'dispatcher', by: 'test' })).token;
    prepared = await app.store.headSeq();
    expiresAtReal = Date.now() - shift + 120_000;
    await app.close();
  });

  const log = async (s: ChildServer): Promise<StoredEvent[]> => {
    const all: StoredEvent[] = [];
    for (;;) {
      const res = await s.request('GET', `/api/events?after=${all.at(-1)?.seq ?? 0}&limit=1000`);
      expect(res.status).toBe(200);
      if (res.body.events.length === 0) return all;
      all.push(...(res.body.events as StoredEvent[]));
    }
  };
  const ofIncident = (events: StoredEvent[]) => events.filter((e) => (e.data as { incidentId?: string }).incidentId === incidentId);

  it('a wave due while the server was down fires once on start; expiries passed during a kill -9 fire once on the next', async () => {
    const first = await spawnServer(dir, { token });
    const before = ofIncident(await log(first));
    await first.kill();
    const killedAt = Date.now();
    // Killed before wave 1's alerts expired (unless the machine is very slow to start a server).
    if (killedAt < expiresAtReal) expect(ofType(before, 'VolunteerAlertExpired')).toEqual([]);
    // The first start already fired the wave that fell due while nothing ran.
    expect(ofType(before, 'VolunteerWaveSent').map((w) => w.data.wave)).toEqual([1, 2]);
    expect(before.filter((e) => e.seq > prepared && e.type === 'VolunteerWaveSent')).toHaveLength(1);

    // Killed with SIGKILL before wave 1's alerts expired; started again after they did. The server
    // runs on the system clock, so the deadline has to pass in real time: this waits for that
    // instant, not for the other process to do something.
    const wait = expiresAtReal + 500 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const second = await spawnServer(dir, { token });
    const afterSecond = ofIncident(await eventually(async () => {
      const events = await log(second);
      return ofType(ofIncident(events), 'VolunteerAlertExpired').length >= 5 ? events : undefined;
    }, 10_000, 'the expiries'));
    await second.kill();

    // A server answers /healthz only once its start-up fired what was due (openSamaritan awaits
    // the timers' start), so a repeat at start would be in the log by now.
    const third = await spawnServer(dir, { token });
    const last = ofIncident(await log(third));
    await third.kill();
    for (const events of [afterSecond, last]) {
      expect(ofType(events, 'VolunteerWaveSent').map((w) => w.data.wave)).toEqual([1, 2]);
      const expired = ofType(events, 'VolunteerAlertExpired').map((e) => e.data.alertId);
      expect(expired).toHaveLength(5);
      expect(new Set(expired).size).toBe(5);
      const wave1 = ofType(events, 'VolunteerAlerted').filter((a) => a.data.wave === 1).map((a) => a.data.alertId);
      expect(new Set(expired)).toEqual(new Set(wave1));
    }
  }, 120_000);
});
