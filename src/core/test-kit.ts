/**
 * Test-only helpers for the core's unit tests, so that each test reads
 * "given these events, when this command, then these events (or this rejection)".
 *
 * State is built exactly as the store builds it: every event is folded with the core's own
 * `evolve` into its own stream and into every stream `alsoAffects` names. Commands are decided
 * against the streams `streamsNeeded` asks for, loaded round by round as the command handler does.
 * Nothing here is used outside `src/core/*.test.ts`.
 */
import { expect } from 'vitest';
import plansFile from '../../config/response-plans.json' with { type: 'json' };
import unitTypesFile from '../../config/unit-types.json' with { type: 'json' };
import type { Command } from './commands.ts';
import { decide, streamsNeeded } from './decide.ts';
import type { IncidentRules } from './decide-incident.ts';
import { on, type Decision } from './decision.ts';
import type { EventType, IncidentDetails, PendingEvent } from './events.ts';
import { alsoAffects, evolve } from './evolve.ts';
import { epochMs, type EpochMs, type IncidentId, type StationId, type UnitId } from './ids.ts';
import type { IncidentState } from './incident.ts';
import type { LatLon } from './lat-lon.ts';
import { incidentIn, unitIn, type Loaded, type StreamState } from './loaded.ts';
import type { Rejection, RejectionCode } from './rejection.ts';
import type { ResponsePlan, ResponsePlans, VolunteerRole } from './response-plan.ts';
import { COMMITTED_UNIT_STATUSES, type IncidentStatus, type UnitStatus } from './statuses.ts';
import { incidentStream, stationStream, unitStream } from './streams.ts';
import type { UnitState } from './unit.ts';

// ---------------------------------------------------------------------------------------------
// Time, places and configuration

/** The start of every story: 2024-01-15 09:00:00 UTC. Tests pass time in, the core never reads a clock. */
export const T0: EpochMs = epochMs(Date.UTC(2024, 0, 15, 9, 0, 0));
/** `minutes` after T0. */
export const at = (minutes: number): EpochMs => epochMs(T0 + minutes * 60_000);

/** San Francisco City Hall, where most test incidents happen. */
export const CITY_HALL: LatLon = { lat: 37.7793, lon: -122.4193 };

/** The real response plans of config/response-plans.json. */
export const PLANS: ResponsePlans = new Map(
  Object.entries(plansFile.natures).map(([nature, p]): [string, ResponsePlan] => [
    nature,
    {
      nature,
      label: p.label,
      defaultPriority: p.defaultPriority as 1 | 2 | 3,
      units: p.units,
      volunteerRoles: p.volunteerRoles as VolunteerRole[],
    },
  ]),
);
export const RULES: IncidentRules = { natures: new Set(PLANS.keys()) };

export const plan = (nature: string): ResponsePlan => {
  const p = PLANS.get(nature);
  if (p === undefined) throw new Error(`no plan for ${nature} in config/response-plans.json`);
  return p;
};

/** The real unit types of config/unit-types.json. */
export const UNIT_TYPES: ReadonlyMap<string, { capabilities: readonly string[]; turnoutS: number; speedMps: number }> = new Map(
  Object.entries(unitTypesFile.types),
);

// ---------------------------------------------------------------------------------------------
// Folding events into state, as the store does

export type World = ReadonlyMap<string, StreamState>;

/**
 * Folds events, in order, into their own stream and every stream they also affect, each folded
 * by that stream's own kind: the store's projection loop, without the store.
 */
export function fold(world: World, events: readonly PendingEvent[]): World {
  const next = new Map(world);
  for (const e of events) {
    for (const stream of [e.stream, ...alsoAffects(e)]) {
      const state = evolve(next.get(stream), e, stream);
      if (state === undefined) next.delete(stream);
      else next.set(stream, state);
    }
  }
  return next;
}

/** The streams a command is decided against, asked for round by round as the command handler does. */
export function load(world: World, c: Command): Loaded {
  const loaded = new Map<string, StreamState | undefined>();
  for (let round = 0; round < 4; round++) {
    const missing = streamsNeeded(c, loaded);
    if (missing.length === 0) return loaded;
    for (const s of missing) loaded.set(s, world.get(s));
  }
  throw new Error(`streamsNeeded(${c.type}) did not settle in 4 rounds`);
}

export const incidentOf = (world: World, id: string): IncidentState => {
  const s = incidentIn(world, id);
  if (s === undefined) throw new Error(`no incident ${id}`);
  return s;
};
export const unitOf = (world: World, id: string): UnitState => {
  const u = unitIn(world, id);
  if (u === undefined) throw new Error(`no unit ${id}`);
  return u;
};

// ---------------------------------------------------------------------------------------------
// given / when / then

type Given = PendingEvent | readonly PendingEvent[];

export class Story {
  constructor(readonly world: World) {}
  and(...events: readonly Given[]): Story {
    return new Story(fold(this.world, events.flat()));
  }
  when(c: Command, rules: IncidentRules = RULES): Outcome {
    return new Outcome(this.world, decide(c, load(this.world, c), rules));
  }
}

export const given = (...events: readonly Given[]): Story => new Story(new Map()).and(...events);

export class Outcome {
  constructor(
    readonly before: World,
    readonly decision: Decision,
  ) {}

  /** Asserts the command was accepted with events of exactly these types, in order; returns them. */
  thenEvents(...types: readonly EventType[]): readonly PendingEvent[] {
    if (!this.decision.ok)
      expect.fail(`expected events ${types.join(', ')}, got rejection ${this.decision.code}: ${this.decision.message}`);
    expect(this.decision.events.map((e) => e.type)).toEqual(types);
    return this.decision.events;
  }

  /** Asserts the command was rejected with this code, and produced no events. */
  thenRejected(code: RejectionCode): Rejection {
    if (this.decision.ok)
      expect.fail(`expected rejection ${code}, got events ${this.decision.events.map((e) => e.type).join(', ')}`);
    expect(this.decision.code).toBe(code);
    expect(this.decision).not.toHaveProperty('events');
    return this.decision;
  }

  /** The story so far, with the accepted events folded in, to carry on with another command. */
  get story(): Story {
    return new Story(this.after);
  }

  /** The state after the accepted events are folded in. */
  get after(): World {
    return this.decision.ok ? fold(this.before, this.decision.events) : this.before;
  }
}

// ---------------------------------------------------------------------------------------------
// Events, as facts for `given` (their shapes are the ones the core itself decides)

const inc = (id: string) => incidentStream(id as IncidentId);
const unit = (id: string) => unitStream(id as UnitId);

export const stationOpened = (stationId: string, location: LatLon, now = T0): PendingEvent =>
  on(stationStream(stationId as StationId), now, {
    type: 'StationOpened',
    data: { stationId, name: `Station ${stationId}`, address: 'test address', location, source: 'test' },
  });

/** A unit of a real unit type, with that type's capabilities from config/unit-types.json. */
export const unitCommissioned = (unitId: string, unitType: string, stationId = 'S1', now = T0): PendingEvent =>
  on(unit(unitId), now, {
    type: 'UnitCommissioned',
    data: { unitId, unitType, capabilities: [...(UNIT_TYPES.get(unitType)?.capabilities ?? [])], stationId, name: unitId },
  });

export const details = (nature = 'structure_fire', more: Partial<IncidentDetails> = {}): IncidentDetails => ({
  location: CITY_HALL,
  nature,
  priority: plan(nature).defaultPriority,
  address: '1 Dr Carlton B Goodlett Pl',
  ...more,
});

export const incidentReceived = (
  incidentId: string,
  nature = 'structure_fire',
  now = T0,
  more: Partial<IncidentDetails> = {},
): PendingEvent => on(inc(incidentId), now, { type: 'IncidentReceived', data: { incidentId, ...details(nature, more) } });

export const incidentStatusChanged = (
  incidentId: string,
  from: IncidentStatus,
  to: IncidentStatus,
  now = at(1),
  reason = 'test',
): PendingEvent => on(inc(incidentId), now, { type: 'IncidentStatusChanged', data: { incidentId, from, to, reason } });

export const unitStatusChanged = (
  unitId: string,
  from: UnitStatus,
  to: UnitStatus,
  incidentId?: string,
  now = at(1),
): PendingEvent =>
  on(unit(unitId), now, {
    type: 'UnitStatusChanged',
    data: { unitId, from, to, ...(incidentId === undefined ? {} : { incidentId }) },
  });

/**
 * Available units dispatched to a received incident: the incident's UnitsDispatched, its move
 * to `dispatched`, and each unit's move to `dispatched`, committed to it.
 */
export const unitsDispatched = (incidentId: string, unitIds: readonly string[], now = at(1)): PendingEvent[] => [
  on(inc(incidentId), now, { type: 'UnitsDispatched', data: { incidentId, unitIds: [...unitIds] } }),
  incidentStatusChanged(incidentId, 'received', 'dispatched', now, 'units dispatched'),
  ...unitIds.map((u) => unitStatusChanged(u, 'available', 'dispatched', incidentId, now)),
];

/**
 * A unit's own moves along `path`, starting from `from`. While the unit is committed its events
 * name the incident, as the core's do (so they also reach the incident's assignments).
 */
export const unitMoves = (
  unitId: string,
  incidentId: string | undefined,
  from: UnitStatus,
  path: readonly UnitStatus[],
  now = at(2),
): PendingEvent[] => {
  const events: PendingEvent[] = [];
  let current = from;
  for (const to of path) {
    const committed = COMMITTED_UNIT_STATUSES.includes(current);
    events.push(unitStatusChanged(unitId, current, to, committed ? incidentId : undefined, now));
    current = to;
  }
  return events;
};

// ---------------------------------------------------------------------------------------------
// Commands, with their time

export const receive = (incidentId: string, d: IncidentDetails = details(), now = at(1)): Command => ({
  type: 'ReceiveIncident',
  now,
  incidentId,
  details: d,
});
export const update = (incidentId: string, changes: Partial<IncidentDetails>, now = at(3)): Command => ({
  type: 'UpdateIncident',
  now,
  incidentId,
  changes,
});
export const dispatch = (incidentId: string, unitIds: readonly string[], now = at(2)): Command => ({
  type: 'DispatchUnits',
  now,
  incidentId,
  unitIds: [...unitIds],
});
export const changeStatus = (unitId: string, status: UnitStatus, now = at(4)): Command => ({
  type: 'ChangeUnitStatus',
  now,
  unitId,
  status,
});
export const cancel = (incidentId: string, reason = 'caller says no fire', now = at(5)): Command => ({
  type: 'CancelIncident',
  now,
  incidentId,
  reason,
});
export const resolve = (incidentId: string, reason = 'fire out', now = at(30)): Command => ({
  type: 'ResolveIncident',
  now,
  incidentId,
  reason,
});
export const close = (incidentId: string, reason = 'report filed', now = at(60)): Command => ({
  type: 'CloseIncident',
  now,
  incidentId,
  reason,
});
export const merge = (incidentId: string, into: string, now = at(3)): Command => ({
  type: 'MergeIncident',
  now,
  incidentId,
  into,
});
