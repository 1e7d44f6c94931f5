import { seconds, type Meters, type Seconds } from './ids.ts';
import type { IncidentState } from './incident.ts';
import { haversine, type LatLon } from './lat-lon.ts';
import type { ResponsePlan } from './response-plan.ts';
import { DISPATCHABLE_UNIT_STATUSES } from './statuses.ts';
import type { TravelTimeEstimator } from './travel-time.ts';
import type { UnitState } from './unit.ts';

/** Where a unit is believed to be, and how that belief was formed. */
export interface UnitWhereabouts {
  readonly unit: UnitState;
  readonly location: LatLon;
  /**
   * `live`: a recent fix; `station`: assumed at home because it is available and has no fresh fix;
   * `stale`: on the road with only an old fix, so where it is now is unknown.
   */
  readonly source: 'live' | 'station' | 'stale';
  readonly placeName: string;
}

export interface RecommendInput {
  readonly incident: IncidentState;
  readonly plan: ResponsePlan | undefined;
  readonly units: readonly UnitWhereabouts[];
  readonly estimator: TravelTimeEstimator;
  /** Seconds from alarm to wheels rolling, for a crew at its station. */
  readonly turnoutS: (unitType: string) => Seconds;
}

export interface Candidate {
  readonly unitId: string;
  readonly name: string;
  readonly unitType: string;
  readonly stationId: string;
  readonly status: string;
  readonly fills: string;
  readonly etaS: Seconds;
  readonly travelS: Seconds;
  readonly turnoutS: Seconds;
  readonly distanceM: Meters;
  readonly from: string;
  readonly reason: string;
}

export interface Shortfall {
  readonly capability: string;
  readonly needed: number;
  readonly assigned: number;
  readonly recommended: number;
  readonly missing: number;
  readonly reason: string;
}

export type PassOverCode = 'busy' | 'out_of_service' | 'no_route' | 'stale_position';
export interface PassedOver {
  readonly unitId: string;
  readonly code: PassOverCode;
  readonly reason: string;
  readonly straightLineM: Meters;
}

export interface Recommendation {
  readonly incidentId: string;
  readonly nature: string;
  readonly estimator: string;
  readonly plan: readonly { capability: string; count: number }[];
  readonly assigned: readonly { unitId: string; fills: string | undefined }[];
  readonly candidates: readonly Candidate[];
  readonly shortfalls: readonly Shortfall[];
  readonly passedOver: readonly PassedOver[];
}

const PASSED_OVER_LIMIT = 8;

/** Human-readable duration, e.g. "4 min 05 s". */
export function formatDuration(s: number): string {
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const r = whole % 60;
  return m === 0 ? `${r} s` : `${m} min ${String(r).padStart(2, '0')} s`;
}

/**
 * Fills an incident's response plan with the fastest dispatchable units, scarcest capability
 * first so that a unit able to fill two needs is not spent on the common one. Units already
 * committed to the incident count toward the plan. Everything unmet is reported as a shortfall.
 */
export function recommend(input: RecommendInput): Recommendation {
  const { incident, plan, estimator } = input;
  const requirements = plan?.units ?? [];
  const capable = (u: UnitState, cap: string) => u.capabilities.includes(cap);

  // Units already on this incident fill the plan first.
  const assignedIds = new Set(Object.values(incident.assignments).filter((a) => a.active).map((a) => a.unitId));
  const remaining = new Map(requirements.map((r) => [r.capability, r.count]));
  const assigned: { unitId: string; fills: string | undefined }[] = [];
  for (const w of input.units.filter((x) => assignedIds.has(x.unit.id))) {
    const fills = requirements.find((r) => (remaining.get(r.capability) ?? 0) > 0 && capable(w.unit, r.capability));
    if (fills) remaining.set(fills.capability, (remaining.get(fills.capability) ?? 0) - 1);
    assigned.push({ unitId: w.unit.id, fills: fills?.capability });
  }

  const needed = new Set(requirements.map((r) => r.capability));
  const passedOver: PassedOver[] = [];
  const pool = input.units.filter((w) => {
    const eligible =
      !assignedIds.has(w.unit.id) && DISPATCHABLE_UNIT_STATUSES.includes(w.unit.status) && w.unit.capabilities.some((c) => needed.has(c));
    if (eligible && w.source === 'stale') {
      const straightLineM = haversine(w.location, incident.details.location);
      passedOver.push({ unitId: w.unit.id, code: 'stale_position', reason: `${w.unit.status}, last position too old to trust`, straightLineM });
    }
    return eligible && w.source !== 'stale';
  });
  const travel = estimator.travelTimes(
    incident.details.location,
    pool.map((w) => ({ id: w.unit.id, location: w.location, unitType: w.unit.unitType })),
  );
  const timed = pool.flatMap((w, i) => {
    const t = travel[i];
    const straightLineM = haversine(w.location, incident.details.location);
    if (t === undefined || !t.ok) {
      passedOver.push({ unitId: w.unit.id, code: 'no_route', reason: `no road route from ${w.placeName}`, straightLineM });
      return [];
    }
    const turnoutS = w.source === 'station' && w.unit.status === 'available' ? input.turnoutS(w.unit.unitType) : seconds(0);
    return [{ w, travelS: t.travelS, distanceM: t.distanceM, turnoutS, etaS: seconds(turnoutS + t.travelS) }];
  });
  timed.sort((a, b) => a.etaS - b.etaS || a.w.unit.id.localeCompare(b.w.unit.id));

  const supply = (cap: string) => timed.filter((t) => capable(t.w.unit, cap)).length;
  const order = [...requirements].sort((a, b) => supply(a.capability) - supply(b.capability));
  const chosen = new Set<string>();
  const candidates: Candidate[] = [];
  const shortfalls: Shortfall[] = [];
  for (const req of order) {
    const want = remaining.get(req.capability) ?? 0;
    const picks = timed.filter((t) => !chosen.has(t.w.unit.id) && capable(t.w.unit, req.capability)).slice(0, want);
    picks.forEach((t, k) => {
      chosen.add(t.w.unit.id);
      const where = t.w.source === 'station' ? t.w.placeName : `its last position (${t.w.unit.status})`;
      const turnout = t.turnoutS > 0 ? ` incl. ${formatDuration(t.turnoutS)} turnout` : '';
      candidates.push({
        unitId: t.w.unit.id,
        name: t.w.unit.name,
        unitType: t.w.unit.unitType,
        stationId: t.w.unit.stationId,
        status: t.w.unit.status,
        fills: req.capability,
        etaS: t.etaS,
        travelS: t.travelS,
        turnoutS: t.turnoutS,
        distanceM: t.distanceM,
        from: where,
        reason:
          `fastest available ${req.capability}` +
          (want > 1 ? ` (${k + 1} of ${want})` : '') +
          `: ${formatDuration(t.etaS)}${turnout} from ${where}`,
      });
    });
    if (picks.length < want) {
      const noRoute = new Set(passedOver.map((p) => p.unitId));
      const forOtherNeeds = new Set(candidates.filter((c) => c.fills !== req.capability).map((c) => c.unitId));
      shortfalls.push(shortfall(req, want, picks.length, input.units, assignedIds, forOtherNeeds, noRoute));
    }
  }
  candidates.sort((a, b) => a.etaS - b.etaS);

  passedOver.push(...closerButUnavailable(input, needed, assignedIds, candidates));
  return {
    incidentId: incident.id,
    nature: incident.details.nature,
    estimator: estimator.name,
    plan: requirements.map((r) => ({ capability: r.capability, count: r.count })),
    assigned,
    candidates,
    shortfalls,
    passedOver: passedOver.slice(0, PASSED_OVER_LIMIT),
  };
}

function shortfall(
  req: { capability: string; count: number },
  want: number,
  got: number,
  units: readonly UnitWhereabouts[],
  assignedIds: ReadonlySet<string>,
  forOtherNeeds: ReadonlySet<string>,
  noRoute: ReadonlySet<string>,
): Shortfall {
  const withCap = units.filter((w) => w.unit.capabilities.includes(req.capability) && !assignedIds.has(w.unit.id));
  const count = (p: (w: UnitWhereabouts) => boolean) => withCap.filter(p).length;
  const dispatchable = (w: UnitWhereabouts) => DISPATCHABLE_UNIT_STATUSES.includes(w.unit.status);
  const parts = [
    [count((w) => !dispatchable(w) && w.unit.status !== 'out_of_service'), 'busy'],
    [count((w) => w.unit.status === 'out_of_service'), 'out of service'],
    [count((w) => dispatchable(w) && forOtherNeeds.has(w.unit.id)), 'recommended for another need'],
    [count((w) => dispatchable(w) && noRoute.has(w.unit.id)), 'without a road route'],
  ] as const;
  const why =
    withCap.length === 0
      ? `no unit in the fleet has capability ${req.capability}`
      : `every other unit with ${req.capability} is ` +
        parts
          .filter(([n]) => n > 0)
          .map(([n, what]) => `${what} (${n})`)
          .join(', ');
  return {
    capability: req.capability,
    needed: req.count,
    assigned: req.count - want,
    recommended: got,
    missing: want - got,
    reason: why,
  };
}

/** Units that have a needed capability and sit closer than the farthest pick, but cannot go. */
function closerButUnavailable(
  input: RecommendInput,
  needed: ReadonlySet<string>,
  assignedIds: ReadonlySet<string>,
  candidates: readonly Candidate[],
): PassedOver[] {
  const at = input.incident.details.location;
  const farthest = Math.max(0, ...candidates.map((c) => c.distanceM));
  return input.units
    .filter(
      (w) =>
        !assignedIds.has(w.unit.id) &&
        !DISPATCHABLE_UNIT_STATUSES.includes(w.unit.status) &&
        w.unit.capabilities.some((c) => needed.has(c)),
    )
    .map((w) => ({ w, d: haversine(w.location, at) }))
    .filter((x) => x.d <= farthest || candidates.length === 0)
    .sort((a, b) => a.d - b.d)
    .map(({ w, d }) => {
      const code: PassOverCode = w.unit.status === 'out_of_service' ? 'out_of_service' : 'busy';
      const detail = w.unit.incidentId === undefined ? w.unit.status : `${w.unit.status} on incident ${w.unit.incidentId}`;
      return { unitId: w.unit.id, code, reason: `closer but ${detail}`, straightLineM: d };
    });
}
