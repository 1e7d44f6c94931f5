import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from './commands.ts';
import { decide } from './decide.ts';
import { eligibility } from './eligibility.ts';
import type { PendingEvent } from './events.ts';
import { epochMs, type EpochMs } from './ids.ts';
import type { StreamState } from './loaded.ts';
import { dueTimers } from './response-timers.ts';
import { fold, given, incidentReceived, load, T0, unitCommissioned, unitsDispatched, type World } from './test-kit.ts';
import type { VolunteerState } from './volunteer.ts';
import { rolesLeft } from './volunteer-roles.ts';
import type { StandDownCommandReason } from './volunteer-response.ts';
import {
  OFFICE_HOURS,
  POLICY,
  VRULES,
  acceptBy,
  aed,
  declineBy,
  expire,
  responseOf,
  standDown,
  start,
  via,
  volunteer,
  type QualSpec,
} from './volunteer-test-kit.ts';

/*
 * Random volunteer responses: a cardiac arrest with an engine on the way, ten volunteers of random
 * qualifications and states, a random ranking (some beyond walking reach, some named twice), then
 * random acceptances, declines, expiries, timers, people going off duty or deleting their account,
 * the unit arriving and the incident being cancelled — each at a random later instant. Every
 * command is decided as the command handler decides it, and the rules are checked after each step.
 */
const VOLUNTEERS = ['V0', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9'] as const;
const PROFILES: readonly (readonly QualSpec[])[] = [
  ['cpr'],
  ['cpr'],
  [{ kind: 'first_aid', verified: false }],
  ['nurse'],
  ['doctor', 'cpr'],
  ['aed'],
  [],
  [{ kind: 'cpr', verified: false }],
  [{ kind: 'doctor', expiresAt: epochMs(T0 + 60_000) }],
];

const volunteerArb = fc.record({
  profile: fc.nat(PROFILES.length - 1),
  available: fc.nat(4).map((n) => n > 0),
  consent: fc.nat(6).map((n) => n > 0),
  quiet: fc.boolean(),
});
const setupArb = fc.record({
  people: fc.array(volunteerArb, { minLength: VOLUNTEERS.length, maxLength: VOLUNTEERS.length }),
  ranking: fc.array(fc.tuple(fc.nat(VOLUNTEERS.length + 1), fc.integer({ min: 10, max: 560 })), { minLength: 3, maxLength: 16 }),
  place: fc.constantFrom('public' as const, 'public' as const, 'public' as const, 'home' as const, 'unknown' as const),
  firstUnitEtaS: fc.option(fc.integer({ min: 60, max: 900 }), { nil: undefined }),
  /** Local time offset: noon or 01:00 at T0 decides whether quiet hours (22:00-07:00) apply. */
  utcOffsetMin: fc.constantFrom(0, 180, -480),
});

type Step =
  | { kind: 'accept' | 'decline' | 'expire' | 'offDuty' | 'delete'; who: number; aeds: boolean }
  | { kind: 'timers' | 'onScene' | 'cancel' | 'resolve' }
  | { kind: 'standDown'; reason: StandDownCommandReason }
  | { kind: 'wave'; wave: number };
const who = fc.nat(4 * VOLUNTEERS.length);
const stepArb: fc.Arbitrary<{ step: Step; dt: number }> = fc.record({
  dt: fc.integer({ min: 0, max: 45 }),
  step: fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('accept' as const), who, aeds: fc.boolean() }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constantFrom('decline' as const, 'expire' as const), who, aeds: fc.constant(false) }),
    },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('timers' as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constantFrom('offDuty' as const, 'delete' as const), who, aeds: fc.constant(false) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('onScene' as const, 'cancel' as const, 'resolve' as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('standDown' as const),
        reason: fc.constantFrom('enough_accepted', 'first_unit_on_scene', 'incident_cancelled', 'incident_resolved'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wave' as const), wave: fc.integer({ min: 1, max: 6 }) }) },
  ),
});

/** An office-hours AED (closed at night where the offset makes T0 night) and a 24/7 one. */
const AEDS = [via(aed('LIB', { openingHours: OFFICE_HOURS }), 40, 60), via(aed('MALL'), 90, 90)];
const id = (n: number) => VOLUNTEERS[n % VOLUNTEERS.length] ?? 'V0';

/** Mostly a volunteer whose alert is open now (when there is one), otherwise anyone. */
function target(n: number, world: World): string {
  const s = world.get('response-I1') as ReturnType<typeof responseOf> | undefined;
  const open = s === undefined ? [] : Object.values(s.alerts).filter((a) => a.status === 'open');
  return n % 4 === 3 || open.length === 0 ? id(n) : (open[n % open.length]?.volunteerId ?? id(n));
}

function commandsFor(step: Step, world: World, now: EpochMs): Command[] {
  switch (step.kind) {
    case 'accept':
      return [acceptBy(target(step.who, world), 'I1', now, step.aeds ? AEDS : [])];
    case 'decline':
      return [declineBy(target(step.who, world), 'I1', now)];
    case 'expire':
      return [expire('I1', target(step.who, world), now)];
    case 'offDuty':
      return [{ type: 'SetAvailability', now, volunteerId: target(step.who, world), available: false }];
    case 'delete':
      return [{ type: 'DeleteVolunteer', now, volunteerId: target(step.who, world) }];
    case 'timers':
      return world.has('response-I1') ? dueTimers(responseOf(world, 'I1'), now) : [];
    case 'onScene':
      return [{ type: 'ChangeUnitStatus', now, unitId: 'E1', status: 'on_scene' }, standDown('I1', 'first_unit_on_scene', now)];
    case 'cancel':
      return [{ type: 'CancelIncident', now, incidentId: 'I1', reason: 'property' }, standDown('I1', 'incident_cancelled', now)];
    case 'resolve':
      return [{ type: 'ResolveIncident', now, incidentId: 'I1', reason: 'property' }, standDown('I1', 'incident_resolved', now)];
    case 'standDown':
      return [standDown('I1', step.reason, now)];
    case 'wave':
      return [{ type: 'SendNextWave', now, incidentId: 'I1', wave: step.wave }];
  }
}

const seen = new Map<string, number>();

/** The rules one decision must keep, given the world it was decided against. */
function checkDecision(c: Command, before: World, events: readonly PendingEvent[], offset: number): void {
  const response = before.get('response-I1') as ReturnType<typeof responseOf> | undefined;
  for (const e of events) {
    seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
    if (e.type !== 'VolunteerAlerted') continue;
    // Suppressed volunteers are never alerted: each was eligible, by the rule it carries, when alerted.
    const v = before.get(`volunteer-${e.data.volunteerId}`) as VolunteerState | undefined;
    expect(v, `${e.data.volunteerId} exists`).toBeDefined();
    if (v === undefined) continue;
    const e2 = eligibility(POLICY, v, { nature: 'cardiac_arrest', place: e.data.place, incidentId: 'I1' }, c.now, offset);
    expect(e2, `${e.data.volunteerId} eligible when alerted`).toMatchObject({ eligible: true, rule: e.data.policyRule });
    expect(e.data.etaS).toBeLessThanOrEqual(POLICY.waves.maxWalkingS);
    expect(response === undefined || response.status === 'alerting', 'no alert after the response closed').toBe(true);
  }
  if (c.type === 'StandDownVolunteers' && response !== undefined) {
    // Every open alert (and, when stood down, every accepted one) gets exactly one stand-down.
    const full = c.reason === 'incident_cancelled' || c.reason === 'incident_resolved';
    const due = Object.values(response.alerts)
      .filter((a) => a.status === 'open' || (full && a.status === 'accepted'))
      .map((a) => a.alertId)
      .sort();
    const downs = events.flatMap((e) => (e.type === 'VolunteerStoodDown' ? [e.data.alertId] : [])).sort();
    expect(downs).toEqual(due);
  }
}

/** The rules the whole log and the world must keep after every step. */
function checkWorld(log: readonly PendingEvent[], world: World): void {
  const alerts = log.flatMap((e) => (e.type === 'VolunteerAlerted' ? [e.data.volunteerId] : []));
  expect(new Set(alerts).size, 'a volunteer is alerted at most once per incident').toBe(alerts.length);

  const s = world.get('response-I1') as ReturnType<typeof responseOf> | undefined;
  if (s === undefined) return;
  expect(s.assignments.length, 'never more roles than wanted').toBeLessThanOrEqual(s.roles.length);
  expect(
    rolesLeft(
      s.roles,
      s.assignments.map((a) => a.fills),
    ).length,
  ).toBe(s.roles.length - s.assignments.length);
  if (s.status !== 'alerting') expect(Object.values(s.alerts).filter((a) => a.status === 'open')).toEqual([]);
  if (s.status !== 'alerting') expect(s.nextWave).toBeUndefined();

  // Per alert: one answer at most; a stand-down only ends an open or accepted alert.
  for (const a of Object.values(s.alerts)) {
    const closing = log.filter(
      (e) =>
        (e.type === 'VolunteerAccepted' ||
          e.type === 'VolunteerDeclined' ||
          e.type === 'VolunteerAlertExpired' ||
          e.type === 'VolunteerStoodDown') &&
        e.data.alertId === a.alertId,
    );
    const types = closing.map((e) => e.type).join(' ');
    expect([
      '',
      'VolunteerAccepted',
      'VolunteerDeclined',
      'VolunteerAlertExpired',
      'VolunteerStoodDown',
      'VolunteerAccepted VolunteerStoodDown',
    ]).toContain(types);
  }

  // Every scheduled wave is sent or cancelled exactly once, except the one still pending.
  const scheduled = log.flatMap((e) => (e.type === 'VolunteerWaveScheduled' ? [e.data.wave] : []));
  const settled = log
    .flatMap((e) => (e.type === 'VolunteerWaveSent' || e.type === 'VolunteerWaveCancelled' ? [e.data.wave] : []))
    .filter((w) => w > 1);
  expect([...settled, ...(s.nextWave === undefined ? [] : [s.nextWave.wave])].sort()).toEqual([...scheduled].sort());

  // Each volunteer's own state mirrors the response: history and alerts in play.
  for (const v of VOLUNTEERS) {
    const vs = world.get(`volunteer-${v}`) as VolunteerState | undefined;
    if (vs === undefined || vs.status === 'deleted') continue;
    const mine = Object.values(s.alerts).filter((a) => a.volunteerId === v);
    expect(vs.alerted).toBe(mine.length);
    expect(Object.keys(vs.activeAlerts).sort()).toEqual(
      mine.filter((a) => a.status === 'open' || a.status === 'accepted').map((a) => a.alertId),
    );
  }
}

type Setup = typeof setupArb extends fc.Arbitrary<infer T> ? T : never;

function run(setup: Setup, steps: readonly { step: Step; dt: number }[]): void {
  const facts: PendingEvent[] = [
    incidentReceived('I1', 'cardiac_arrest', T0),
    unitCommissioned('E1', 'engine'),
    ...unitsDispatched('I1', ['E1'], T0),
    ...setup.people.flatMap((p, i) =>
      volunteer(id(i), {
        quals: PROFILES[p.profile] ?? [],
        available: p.available,
        consent: p.consent,
        ...(p.quiet ? { quietHours: { from: '22:00', to: '07:00' } } : {}),
      }),
    ),
  ];
  let world = given(facts).world;
  const log: PendingEvent[] = [];
  let now = epochMs(T0 + 5000);
  const first = start(
    'I1',
    setup.ranking.map(([n, eta]) => [n >= VOLUNTEERS.length ? 'GHOST' : id(n), eta] as const),
    {
      place: setup.place,
      firstUnitEtaS: setup.firstUnitEtaS ?? null,
      utcOffsetMin: setup.utcOffsetMin,
      now,
    },
  );
  const commands: Command[] = [first];
  const apply = (c: Command) => {
    const loaded = load(world, c);
    const d = decide(c, loaded, VRULES);
    expect(decide(c, world as ReadonlyMap<string, StreamState | undefined>, VRULES), 'decided on what it asked for').toEqual(d);
    if (!d.ok) return;
    for (const e of d.events) expect(loaded.has(e.stream), `${c.type} writes only streams it loaded (${e.stream})`).toBe(true);
    checkDecision(c, world, d.events, setup.utcOffsetMin);
    log.push(...d.events);
    world = fold(world, d.events);
    checkWorld(log, world);
  };
  for (const c of commands) apply(c);
  for (const { step, dt } of steps) {
    now = epochMs(now + dt * 1000);
    for (const c of commandsFor(step, world, now)) apply(c);
  }
}

describe('properties of random volunteer responses', () => {
  it('no double alert, no suppressed alert, no more roles than wanted, every open alert stood down exactly once', () => {
    fc.assert(
      fc.property(setupArb, fc.array(stepArb, { minLength: 5, maxLength: 40 }), (setup, steps) => run(setup, steps)),
      { numRuns: 400 },
    );
    // The runs reached the interesting places, so the rules were tested there.
    for (const t of [
      'VolunteerAlerted',
      'VolunteerWaveScheduled',
      'VolunteerWaveSent',
      'VolunteerWaveCancelled',
      'VolunteerAccepted',
      'VolunteerDeclined',
      'VolunteerAlertExpired',
      'VolunteerRoleAssigned',
      'VolunteerStoodDown',
      'VolunteerResponseStatusChanged',
    ]) {
      expect(seen.get(t) ?? 0, t).toBeGreaterThan(0);
    }
  });
});
