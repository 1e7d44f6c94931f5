import { seconds, type Meters, type Seconds } from './ids.ts';
import type { IncidentState } from './incident.ts';
import { haversine, type LatLon } from './lat-lon.ts';
import { formatDuration } from './duration-text.ts';
import { passedOverUnable, type PassedOver, type UnableUnit } from './passed-over.ts';
import type { ResponsePlan } from './response-plan.ts';
import { DISPATCHABLE_UNIT_STATUSES } from './statuses.ts';
import type { TravelTimeEstimator } from './travel-time.ts';
import type { UnitState } from './unit.ts';
import { BY_ROAD, unitTravel, type TravelBy } from './unit-travel.ts';

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
  /** How each unit type travels (config/unit-types.json `travel`); default: every unit by road. */
  readonly travelBy?: (unitType: string) => TravelBy;
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
  /** `road`: the estimator's road route; `water`: a boat's straight line at its own speed. */
  readonly by: TravelBy['by'];
  readonly from: string;
  /** Set when the unit is timed from its last known position rather than its station: its status there. */
  readonly fromLastPosition?: string;
  readonly reason: string;
}

export interface Shortfall {
  readonly capability: string;
  readonly needed: number;
  readonly assigned: number;
  readonly recommended: number;
  readonly missing: number;
  /** What the other units with the capability are doing (counts), for edges that word it themselves. */
  readonly others: { readonly busy: number; readonly outOfService: number; readonly forOtherNeeds: number; readonly noRoute: number };
  /** No unit of the fleet has the capability at all. */
  readonly noneInFleet: boolean;
  readonly reason: string;
}

export type { PassedOver, PassOverCode } from './passed-over.ts';
export { formatDuration };

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
  const at = incident.details.location;
  const passedOver: PassedOver[] = [];
  const pool = input.units.filter((w) => {
    const eligible =
      !assignedIds.has(w.unit.id) && DISPATCHABLE_UNIT_STATUSES.includes(w.unit.status) && w.unit.capabilities.some((c) => needed.has(c));
    if (eligible && w.source === 'stale') {
      const straightLineM = haversine(w.location, at);
      passedOver.push({ unitId: w.unit.id, code: 'stale_position', reason: `${w.unit.status}, last position too old to trust`, straightLineM });
    }
    return eligible && w.source !== 'stale';
  });
  // Units that cannot go are timed too, by the same measure, to tell whether one was closer than a pick.
  const unable = input.units.filter(
    (w) => !assignedIds.has(w.unit.id) && !DISPATCHABLE_UNIT_STATUSES.includes(w.unit.status) && w.unit.capabilities.some((c) => needed.has(c)),
  );
  const placed = [...pool, ...unable.filter((w) => w.source !== 'stale')];
  const travel = unitTravel(
    at,
    placed.map((w) => ({ id: w.unit.id, location: w.location, unitType: w.unit.unitType })),
    estimator,
    input.travelBy ?? (() => BY_ROAD),
  );
  const travelOf = new Map(placed.map((w, i) => [w.unit.id, travel[i]]));
  const timed = pool.flatMap((w) => {
    const t = travelOf.get(w.unit.id);
    if (t === undefined) {
      passedOver.push({ unitId: w.unit.id, code: 'no_route', reason: `no road route from ${w.placeName}`, straightLineM: haversine(w.location, at) });
      return [];
    }
    const turnoutS = w.source === 'station' && w.unit.status === 'available' ? input.turnoutS(w.unit.unitType) : seconds(0);
    return [{ w, ...t, turnoutS, etaS: seconds(turnoutS + t.travelS) }];
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
      const byWater = t.by === 'water' ? ' by water (straight line)' : '';
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
        by: t.by,
        from: where,
        ...(t.w.source === 'station' ? {} : { fromLastPosition: t.w.unit.status }),
        reason:
          `fastest available ${req.capability}` +
          (want > 1 ? ` (${k + 1} of ${want})` : '') +
          `: ${formatDuration(t.etaS)}${turnout} from ${where}${byWater}`,
      });
    });
    if (picks.length < want) {
      const noRoute = new Set(passedOver.map((p) => p.unitId));
      const forOtherNeeds = new Set(candidates.filter((c) => c.fills !== req.capability).map((c) => c.unitId));
      shortfalls.push(shortfall(req, want, picks.length, input.units, assignedIds, forOtherNeeds, noRoute));
    }
  }
  candidates.sort((a, b) => a.etaS - b.etaS);

  const unableTimed: UnableUnit[] = unable.map((w) => {
    const t = travelOf.get(w.unit.id);
    // Had it been free: the same turnout rule as a pick's, so that the two ETAs compare.
    const turnoutS = w.source === 'station' ? input.turnoutS(w.unit.unitType) : 0;
    return {
      unit: w.unit,
      straightLineM: haversine(w.location, at),
      ...(t === undefined ? {} : { by: t.by, etaS: seconds(turnoutS + t.travelS) }),
    };
  });
  passedOver.push(...passedOverUnable(unableTimed, requirements, candidates, new Set(shortfalls.map((x) => x.capability))));
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
  const others = {
    busy: count((w) => !dispatchable(w) && w.unit.status !== 'out_of_service'),
    outOfService: count((w) => w.unit.status === 'out_of_service'),
    forOtherNeeds: count((w) => dispatchable(w) && forOtherNeeds.has(w.unit.id)),
    noRoute: count((w) => dispatchable(w) && noRoute.has(w.unit.id)),
  };
  const parts = [
    [others.busy, 'busy'],
    [others.outOfService, 'out of service'],
    [others.forOtherNeeds, 'recommended for another need'],
    [others.noRoute, 'without a road route'],
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
    others,
    noneInFleet: withCap.length === 0,
    reason: why,
  };
}
