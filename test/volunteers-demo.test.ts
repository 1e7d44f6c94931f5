import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import type { Command } from '../src/core/commands.ts';
import { decide, streamsNeeded } from '../src/core/decide.ts';
import type { PendingEvent } from '../src/core/events.ts';
import { alsoAffects, evolve } from '../src/core/evolve.ts';
import type { StreamState } from '../src/core/loaded.ts';
import { DEMO_AVAILABLE_SHARE, demoRegistryWrites, generateDemoPopulation, POPULATION_FILE } from '../src/volunteers/demo-volunteers.ts';
import { inPolygon, readBlockGroups } from '../src/volunteers/population-density.ts';
import { DEMO_HEARTBEAT_MS, VolunteerLiveIndex } from '../src/volunteers/volunteer-live-index.ts';
import type { VolunteerState } from '../src/core/volunteer.ts';
import { PositionIntake } from '../src/geo/position-intake.ts';
import { ResponderAttrs } from '../src/geo/responder-attrs.ts';
import { ManualClock } from '../src/time/clock.ts';
import { bearer } from './support/auth.ts';
import { killAllServers, spawnServer } from './support/child-server.ts';
import { startTestServer } from './support/server.ts';

/** The synthetic demo population `serve` loads on a new data dir (issue 5's contract). */

const RULES = { natures: new Set<string>() };

/** Decides commands one after the other, each against the states the ones before it left (as the writer's batch does). */
function decideAll(commands: readonly Command[]): PendingEvent[] {
  const loaded = new Map<string, StreamState | undefined>();
  const events: PendingEvent[] = [];
  for (const c of commands) {
    for (let round = 0; round < 4; round++) for (const s of streamsNeeded(c, loaded)) loaded.set(s, undefined);
    const d = decide(c, loaded, RULES);
    if (!d.ok) throw new Error(`${c.type}: ${d.message}`);
    for (const e of d.events) {
      for (const s of [e.stream, ...alsoAffects(e)]) if (loaded.has(s) || s === e.stream) loaded.set(s, evolve(loaded.get(s), e, s));
    }
    events.push(...d.events);
  }
  return events;
}
const dirs: string[] = [];
afterAll(async () => {
  await killAllServers();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the demo population, generated', () => {
  const pop = generateDemoPopulation();

  it('is 1 % of the residents the density file gives (persons per sq mi × block-group area), 20 % on duty', () => {
    // The 2010 Census counted 805,235 San Franciscans; the block groups of the file (water and
    // parks aside) hold about 780,000.
    expect(pop.residents).toBeGreaterThan(750_000);
    expect(pop.residents).toBeLessThan(830_000);
    expect(pop.volunteers.length).toBe(Math.round(pop.residents * 0.01));
    expect(pop.volunteers.filter((v) => v.available).length).toBe(Math.round(pop.volunteers.length * DEMO_AVAILABLE_SHARE));
    console.log(
      `demo population: ${Math.round(pop.residents)} residents, ${pop.volunteers.length} volunteers, ${pop.volunteers.filter((v) => v.available).length} available`,
    );
  });

  it('is reproducible: the same seed gives the same people at the same places; another seed does not', () => {
    expect(generateDemoPopulation()).toEqual(pop);
    const other = generateDemoPopulation(undefined, 7);
    expect(other.volunteers.length).toBe(pop.volunteers.length);
    expect(other.volunteers.map((v) => v.home)).not.toEqual(pop.volunteers.map((v) => v.home));
  });

  it('places everyone inside their census block group, in proportion to its residents', () => {
    const groups = new Map(readBlockGroups(`${PROJECT_ROOT}${POPULATION_FILE}`).map((g) => [g.id, g]));
    for (const v of pop.volunteers) {
      const g = groups.get(v.blockGroup)!;
      expect(g.polygons.some((p) => inPolygon(p, v.home.lon, v.home.lat)), `${v.id} in ${v.blockGroup}`).toBe(true);
    }
    // The densest block groups get the most volunteers per area.
    const perGroup = new Map<string, number>();
    for (const v of pop.volunteers) perGroup.set(v.blockGroup, (perGroup.get(v.blockGroup) ?? 0) + 1);
    for (const [id, n] of perGroup) expect(Math.abs(n - groups.get(id)!.residents / 100)).toBeLessThan(1);
  });

  it('mixes qualifications plausibly: mostly CPR, some first aid and AED, a few verified nurses, doctors and firefighters', () => {
    const share = (pred: (v: (typeof pop.volunteers)[number]) => boolean) => pop.volunteers.filter(pred).length / pop.volunteers.length;
    expect(share((v) => v.kind === 'cpr')).toBeGreaterThan(0.5);
    expect(share((v) => v.kind === 'first_aid' || v.kind === 'aed')).toBeGreaterThan(0.2);
    const pros = pop.volunteers.filter((v) => ['nurse', 'doctor', 'firefighter_off_duty'].includes(v.kind));
    expect(pros.length / pop.volunteers.length).toBeGreaterThan(0.07);
    expect(pros.every((v) => v.verified)).toBe(true);
  });

  it('writes well under the event budget (the contract pages 50 × 1,000 events), names nobody in the log, labels every profile synthetic', () => {
    const w = demoRegistryWrites(pop, Date.parse('2025-06-01T12:00:00Z'));
    const events = decideAll(w.commands);
    expect(events.length).toBeLessThan(3 * pop.volunteers.length);
    expect(events.length).toBeLessThan(25_000);
    expect(w.profiles.every((p) => p.synthetic && /^Demo volunteer \d{5}$/.test(p.name) && /^\+1 415 555 01\d\d$/.test(p.phone))).toBe(true);
    expect(JSON.stringify(events)).not.toContain('Demo volunteer');
    expect(w.record).toMatchObject({ count: pop.volunteers.length, available: Math.round(pop.volunteers.length * 0.2) });
  });
});

describe('the demo population in a running server', () => {
  it('a new data dir loads it at start (one transaction) and puts those on duty on the live map', async () => {
    const started = performance.now();
    const t = await startTestServer({ demoVolunteers: true });
    const ms = performance.now() - started;
    try {
      const d = t.app.demoVolunteers!;
      expect(d.loadedNow).toBe(true);
      console.log(`demo start on a new data dir: ${Math.round(ms)} ms; ${d.count} volunteers, ${d.available} on duty, ${d.placed} placed`);
      const list = await t.request('GET', '/api/volunteers?limit=5', undefined, bearer(await t.token('supervisor')));
      expect(list.body.counts).toMatchObject({ active: d.count, available: d.available, synthetic: d.count });
      expect(list.body.volunteers[0]).toMatchObject({ id: 'demo-00000', name: 'Demo volunteer 00000', synthetic: true });
      expect(d.placed).toBe(d.available);

      // The whole log, as the contract check pages it: well inside 50 pages of 1,000.
      const head = (await t.request('GET', '/healthz')).body.head as number;
      expect(head).toBeLessThan(45_000);
      let registered = 0;
      let available = 0;
      for (let after = 0; after < head; ) {
        const body = (await t.request('GET', `/api/events?after=${after}&limit=1000`)).body as { next: number; events: { seq: number; type: string; data: { available?: boolean } }[] };
        const page = body.events;
        registered += page.filter((e) => e.type === 'VolunteerRegistered').length;
        available += page.filter((e) => e.type === 'AvailabilitySet' && e.data.available === true).length;
        expect(JSON.stringify(page)).not.toContain('Demo volunteer');
        after = body.next; // past the audit events at the end, which are not for dispatchers
      }
      expect(registered).toBe(d.count);
      expect(available).toBe(d.available);
    } finally {
      await t.close();
    }
  });

  it('a restart regenerates the same positions from the seed and writes nothing; off duty leaves the map, on duty comes back home', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'samaritan-demo-'));
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir, demoVolunteers: 400 });
    const placedIds = (s: typeof first) => Array.from({ length: 400 }, (_, i) => `demo-${String(i).padStart(5, '0')}`).filter((id) => s.app.positions.index.get(id));
    const ids = placedIds(first);
    expect(ids).toHaveLength(80);
    const homes = ids.map((id) => first.app.positions.index.get(id)!).map(({ lat, lon }) => ({ lat, lon }));
    const head = (await first.request('GET', '/healthz')).body.head as number;
    await first.close();

    const again = await startTestServer({ dataDir, demoVolunteers: 400 });
    try {
      expect(again.app.demoVolunteers).toMatchObject({ loadedNow: false, count: 400, available: 80, placed: 80 });
      expect(placedIds(again)).toEqual(ids);
      expect(ids.map((id) => again.app.positions.index.get(id)!).map(({ lat, lon }) => ({ lat, lon }))).toEqual(homes);
      // Only the new test server's own token was written.
      expect((await again.request('GET', '/healthz')).body.head).toBe(head + 1);

      const id = ids[0]!;
      const device = await again.app.accounts.createToken({ name: 'volunteer device', role: 'volunteer', kind: 'device', subject: id, by: 'test' });
      await again.request('PATCH', '/api/volunteers/me', { available: false }, bearer(device.token));
      expect(again.app.positions.index.get(id)).toBeUndefined();
      await again.request('PATCH', '/api/volunteers/me', { available: true }, bearer(device.token));
      expect(again.app.positions.index.get(id)).toMatchObject(homes[0]!);
    } finally {
      await again.close();
    }
  });

  it('demo positions are re-stamped by the heartbeat, so they never go stale for matching', () => {
    const clock = new ManualClock();
    const positions = new PositionIntake(new ResponderAttrs([]));
    const live = new VolunteerLiveIndex(positions, clock);
    const state = (id: string, available: boolean): VolunteerState => ({
      id,
      status: 'active',
      registeredAt: '2025-01-01T00:00:00Z',
      qualifications: {},
      languages: [],
      locationConsent: true,
      available,
      alerted: 0,
      accepted: 0,
      activeAlerts: {},
    });
    const homes = new Map([
      ['demo-00000', { lat: 37.78, lon: -122.42 }],
      ['demo-00001', { lat: 37.77, lon: -122.41 }],
    ]);
    expect(live.seedDemo(homes, [state('demo-00000', true), state('demo-00001', false)])).toBe(1);
    clock.advance(10 * 60_000);
    expect(positions.index.nearest(37.78, -122.42, 5, { now: clock.now() })).toEqual([]); // stale
    expect(live.refreshDemo()).toBe(1);
    expect(positions.index.nearest(37.78, -122.42, 5, { now: clock.now() }).map((n) => n.id)).toEqual(['demo-00000']);
    // The heartbeat re-stamps them on its own: sixty beats later they are still fresh.
    live.startDemoHeartbeat();
    clock.advance(60 * DEMO_HEARTBEAT_MS);
    expect(positions.index.get('demo-00000')?.atMs).toBe(clock.now()); // the last beat, 60 × DEMO_HEARTBEAT_MS in
    expect(positions.index.nearest(37.78, -122.42, 5, { now: clock.now() }).map((n) => n.id)).toEqual(['demo-00000']);
    live.close();
    expect(clock.pending).toBe(0);
  });
});

describe('samaritan serve on a new data dir', () => {
  it('answers /healthz within seconds with the full population and prints how to act as a demo volunteer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-serve-demo-'));
    dirs.push(dir);
    const started = performance.now();
    const server = await spawnServer(dir, { timeoutMs: 60_000 });
    const ms = performance.now() - started;
    console.log(`serve on a new data dir answered /healthz after ${Math.round(ms)} ms`);
    const banner = server.output();
    expect(banner).toMatch(/volunteers: 7,8\d\d synthetic demo volunteers \(1 % of 78\d,\d{3} residents\), 1,5\d\d on duty/);
    expect(banner).toMatch(/AEDs: 122 \(122 synthetic/);
    const m = /Demo volunteer \(synthetic\) (demo-\d{5}), device token \(shown once\): (dev_\S+)/.exec(banner);
    expect(m, banner).not.toBeNull();
    const me = await server.request('GET', '/api/volunteers/me', undefined, bearer(m![2]!));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: m![1], synthetic: true, available: true });
    await server.kill('SIGTERM');
  });
});
