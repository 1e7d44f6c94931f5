import type { LatLon } from '../core/lat-lon.ts';
import { NFPA_1710, type NfpaThresholds } from '../reports/intervals.ts';
import { POLICY_NAMES, type PolicyName } from './sim-result.ts';
import { DEFAULT_VOLUNTEER_CALLS } from './sim-calls.ts';

/** What a replay changes and compares; every field of the file is optional and filled here. */
export interface Scenario {
  readonly name: string;
  readonly policies: readonly PolicyName[];
  readonly units: {
    readonly add: readonly { readonly id: string; readonly unitType: string; readonly stationId: string }[];
    readonly move: readonly { readonly id: string; readonly stationId: string }[];
    readonly remove: readonly string[];
  };
  readonly stations: {
    readonly add: readonly { readonly id: string; readonly name: string; readonly location: LatLon }[];
    readonly move: readonly { readonly id: string; readonly location: LatLon }[];
  };
  readonly volunteers: {
    readonly shareOfResidents: number;
    /** 24 shares (0..1), local hour 0 first: who of them is free to answer at that hour. */
    readonly availabilityByHour: readonly number[];
    readonly acceptanceRate: number;
  };
  readonly volunteerCalls: { readonly callTypes: readonly string[]; readonly priorities: readonly string[] };
  readonly thresholds: NfpaThresholds;
  readonly grid: { readonly cellM: number };
  readonly recruitment: { readonly cells: number; readonly volunteersPerCell: number };
  /** What the replay models of a real response; each can be switched off to see what it explains. */
  readonly model: SimModel;
}

export interface SimModel {
  /** Crews turn out (drawn from the data); off: every unit leaves at the dispatch. */
  readonly turnout: boolean;
  /** Second and later units are sent when they really were; off: all at the first dispatch. */
  readonly dispatchOrder: boolean;
  /** A unit sent before it is home leaves from its last scene; off: always from its station. */
  readonly lastScene: boolean;
  /** Non-emergency calls are driven without lights: their travel takes the data's factor; off: as emergencies. */
  readonly priorityTravelFactor: boolean;
}

export const MODEL_SWITCHES = ['turnout', 'dispatchOrder', 'lastScene', 'priorityTravelFactor'] as const satisfies readonly (keyof SimModel)[];

/** A scenario that cannot be read; the message starts with the field's path. */
export class ScenarioError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ScenarioError';
    this.field = field;
  }
}

/**
 * Assumptions, not data: the bundled files say nothing of how many residents would sign up, when
 * they are free or how often they accept. Half a percent of residents, fewer free at night (asleep,
 * phone silenced) than by day, three alerts in ten accepted; a scenario sets its own.
 */
const NIGHT = 0.1;
const DAY = 0.25;
const EVENING = 0.2;
export const DEFAULT_AVAILABILITY_BY_HOUR: readonly number[] = Array.from({ length: 24 }, (_, h) => (h < 7 ? NIGHT : h < 18 ? DAY : h < 23 ? EVENING : NIGHT));

export const DEFAULT_SCENARIO: Scenario = {
  name: 'default',
  policies: [...POLICY_NAMES],
  units: { add: [], move: [], remove: [] },
  stations: { add: [], move: [] },
  volunteers: { shareOfResidents: 0.005, availabilityByHour: DEFAULT_AVAILABILITY_BY_HOUR, acceptanceRate: 0.3 },
  volunteerCalls: { callTypes: [...DEFAULT_VOLUNTEER_CALLS.callTypes], priorities: [...DEFAULT_VOLUNTEER_CALLS.priorities] },
  thresholds: NFPA_1710,
  grid: { cellM: 1000 },
  recruitment: { cells: 5, volunteersPerCell: 20 },
  model: { turnout: true, dispatchOrder: true, lastScene: true, priorityTravelFactor: true },
};

export interface KnownFleet {
  readonly unitTypes: ReadonlySet<string>;
  readonly stations: ReadonlySet<string>;
  readonly units: ReadonlySet<string>;
}

type Obj = Record<string, unknown>;
/** Field paths start here, so a message reads `scenario.units.add[0].unitType: …`. */
const ROOT = 'scenario';

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? 'an object' : String(v));

function object(v: unknown, path: string, keys: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ScenarioError(path, `expected an object, got ${describe(v)}`);
  // A typo must not pass for an absent field that then quietly takes its default.
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) throw new ScenarioError(`${path}.${k}`, `unknown field (known: ${keys.join(', ')})`);
  }
  return v as Obj;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, `expected an array, got ${describe(v)}`);
  return v;
}

function text(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ScenarioError(path, `expected a non-empty string, got ${describe(v)}`);
  return v;
}

function number(v: unknown, path: string, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(path, `expected a number, got ${describe(v)}`);
  if (integer && !Number.isInteger(v)) throw new ScenarioError(path, `expected a whole number, got ${v}`);
  if (v < min || v > max) throw new ScenarioError(path, `${v} is out of range ${min}..${max}`);
  return v;
}

const share = (v: unknown, path: string) => number(v, path, 0, 1);

function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ScenarioError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function readModel(v: unknown, path: string): SimModel {
  const o = object(v, path, MODEL_SWITCHES);
  const d = DEFAULT_SCENARIO.model;
  return Object.fromEntries(MODEL_SWITCHES.map((k) => [k, optional(o, k, path, d[k], boolean)])) as unknown as SimModel;
}

function location(v: unknown, path: string): LatLon {
  const o = object(v, path, ['lat', 'lon']);
  if (o['lat'] === undefined) throw new ScenarioError(`${path}.lat`, 'required');
  if (o['lon'] === undefined) throw new ScenarioError(`${path}.lon`, 'required');
  return { lat: number(o['lat'], `${path}.lat`, -90, 90), lon: number(o['lon'], `${path}.lon`, -180, 180) };
}

const field = (o: Obj, key: string, path: string): unknown => {
  if (o[key] === undefined) throw new ScenarioError(`${path}.${key}`, 'required');
  return o[key];
};

/** `read` on the field when present, else the default. */
function optional<T>(o: Obj, key: string, path: string, fallback: T, read: (v: unknown, path: string) => T): T {
  return o[key] === undefined ? fallback : read(o[key], `${path}.${key}`);
}

function strings(v: unknown, path: string): string[] {
  return array(v, path).map((s, i) => text(s, `${path}[${i}]`));
}

function unique(ids: readonly string[], path: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new ScenarioError(`${path}[${i}]`, `"${id}" is given twice`);
    seen.add(id);
  });
}

function readStations(v: unknown, path: string, known: KnownFleet): Scenario['stations'] {
  const o = object(v, path, ['add', 'move']);
  const add = optional(o, 'add', path, [], (a, p) =>
    array(a, p).map((s, i) => {
      const at = `${p}[${i}]`;
      const e = object(s, at, ['id', 'name', 'location']);
      const id = text(field(e, 'id', at), `${at}.id`);
      if (known.stations.has(id)) throw new ScenarioError(`${at}.id`, `station "${id}" already exists`);
      return { id, name: optional(e, 'name', at, `Station ${id}`, text), location: location(field(e, 'location', at), `${at}.location`) };
    }),
  );
  unique(add.map((s) => s.id), `${path}.add`);
  const move = optional(o, 'move', path, [], (a, p) =>
    array(a, p).map((s, i) => {
      const at = `${p}[${i}]`;
      const e = object(s, at, ['id', 'location']);
      const id = text(field(e, 'id', at), `${at}.id`);
      if (!known.stations.has(id)) throw new ScenarioError(`${at}.id`, `unknown station "${id}"`);
      return { id, location: location(field(e, 'location', at), `${at}.location`) };
    }),
  );
  return { add, move };
}

function readUnits(v: unknown, path: string, known: KnownFleet, stations: ReadonlySet<string>): Scenario['units'] {
  const o = object(v, path, ['add', 'move', 'remove']);
  const station = (s: unknown, p: string) => {
    const id = text(s, p);
    if (!stations.has(id)) throw new ScenarioError(p, `unknown station "${id}"`);
    return id;
  };
  const existing = (s: unknown, p: string) => {
    const id = text(s, p);
    if (!known.units.has(id)) throw new ScenarioError(p, `unknown unit "${id}"`);
    return id;
  };
  const add = optional(o, 'add', path, [], (a, p) =>
    array(a, p).map((u, i) => {
      const at = `${p}[${i}]`;
      const e = object(u, at, ['id', 'unitType', 'stationId']);
      const id = text(field(e, 'id', at), `${at}.id`);
      if (known.units.has(id)) throw new ScenarioError(`${at}.id`, `unit "${id}" already exists`);
      const unitType = text(field(e, 'unitType', at), `${at}.unitType`);
      if (!known.unitTypes.has(unitType)) throw new ScenarioError(`${at}.unitType`, `unknown unit type "${unitType}" (known: ${[...known.unitTypes].join(', ')})`);
      return { id, unitType, stationId: station(field(e, 'stationId', at), `${at}.stationId`) };
    }),
  );
  unique(add.map((u) => u.id), `${path}.add`);
  const move = optional(o, 'move', path, [], (a, p) =>
    array(a, p).map((u, i) => {
      const at = `${p}[${i}]`;
      const e = object(u, at, ['id', 'stationId']);
      return { id: existing(field(e, 'id', at), `${at}.id`), stationId: station(field(e, 'stationId', at), `${at}.stationId`) };
    }),
  );
  const remove = optional(o, 'remove', path, [], (a, p) => array(a, p).map((u, i) => existing(u, `${p}[${i}]`)));
  unique(remove, `${path}.remove`);
  const removed = new Set(remove);
  move.forEach((m, i) => {
    if (removed.has(m.id)) throw new ScenarioError(`${path}.move[${i}].id`, `unit "${m.id}" is also removed`);
  });
  return { add, move, remove };
}

function readVolunteers(v: unknown, path: string): Scenario['volunteers'] {
  const d = DEFAULT_SCENARIO.volunteers;
  const o = object(v, path, ['shareOfResidents', 'availabilityByHour', 'acceptanceRate']);
  return {
    shareOfResidents: optional(o, 'shareOfResidents', path, d.shareOfResidents, share),
    availabilityByHour: optional(o, 'availabilityByHour', path, d.availabilityByHour, (a, p) => {
      const hours = array(a, p);
      if (hours.length !== 24) throw new ScenarioError(p, `expected 24 numbers (hour 0 to 23), got ${hours.length}`);
      return hours.map((x, h) => share(x, `${p}[${h}]`));
    }),
    acceptanceRate: optional(o, 'acceptanceRate', path, d.acceptanceRate, share),
  };
}

function readThresholds(v: unknown, path: string): NfpaThresholds {
  const keys = ['callToDispatchS', 'turnoutEmsS', 'turnoutFireS', 'travelS'] as const;
  const o = object(v, path, keys);
  const seconds = (x: unknown, p: string) => number(x, p, 1, 3600);
  return {
    callToDispatchS: optional(o, 'callToDispatchS', path, NFPA_1710.callToDispatchS, seconds),
    turnoutEmsS: optional(o, 'turnoutEmsS', path, NFPA_1710.turnoutEmsS, seconds),
    turnoutFireS: optional(o, 'turnoutFireS', path, NFPA_1710.turnoutFireS, seconds),
    travelS: optional(o, 'travelS', path, NFPA_1710.travelS, seconds),
  };
}

/**
 * Reads a scenario file's JSON against the fleet it changes: ids must exist to be moved or removed
 * and must not exist to be added, unit types must be configured. Fills every absent field with its
 * default; throws `ScenarioError` naming the first bad field (`units.add[0].unitType: …`).
 */
export function parseScenario(json: unknown, known: KnownFleet): Scenario {
  const d = DEFAULT_SCENARIO;
  const o = object(json, ROOT, ['$comment', 'name', 'policies', 'units', 'stations', 'volunteers', 'volunteerCalls', 'thresholds', 'grid', 'recruitment', 'model']);
  const stations = optional(o, 'stations', ROOT, d.stations, (v, p) => readStations(v, p, known));
  const stationIds = new Set([...known.stations, ...stations.add.map((s) => s.id)]);
  const policies = optional(o, 'policies', ROOT, d.policies, (v, p) => {
    const names = array(v, p).map((n, i) => {
      if (!(POLICY_NAMES as readonly unknown[]).includes(n)) throw new ScenarioError(`${p}[${i}]`, `unknown policy ${describe(n)} (known: ${POLICY_NAMES.join(', ')})`);
      return n as PolicyName;
    });
    if (names.length === 0) throw new ScenarioError(p, 'name at least one policy');
    unique(names, p);
    return names;
  });
  return {
    name: optional(o, 'name', ROOT, d.name, text),
    policies,
    units: optional(o, 'units', ROOT, d.units, (v, p) => readUnits(v, p, known, stationIds)),
    stations,
    volunteers: optional(o, 'volunteers', ROOT, d.volunteers, readVolunteers),
    volunteerCalls: optional(o, 'volunteerCalls', ROOT, d.volunteerCalls, (v, p) => {
      const c = object(v, p, ['callTypes', 'priorities']);
      return { callTypes: optional(c, 'callTypes', p, d.volunteerCalls.callTypes, strings), priorities: optional(c, 'priorities', p, d.volunteerCalls.priorities, strings) };
    }),
    thresholds: optional(o, 'thresholds', ROOT, d.thresholds, readThresholds),
    grid: optional(o, 'grid', ROOT, d.grid, (v, p) => ({ cellM: optional(object(v, p, ['cellM']), 'cellM', p, d.grid.cellM, (x, q) => number(x, q, 100, 20_000)) })),
    recruitment: optional(o, 'recruitment', ROOT, d.recruitment, (v, p) => {
      const r = object(v, p, ['cells', 'volunteersPerCell']);
      return {
        cells: optional(r, 'cells', p, d.recruitment.cells, (x, q) => number(x, q, 0, 100, true)),
        volunteersPerCell: optional(r, 'volunteersPerCell', p, d.recruitment.volunteersPerCell, (x, q) => number(x, q, 0, 10_000, true)),
      };
    }),
    model: optional(o, 'model', ROOT, d.model, readModel),
  };
}
