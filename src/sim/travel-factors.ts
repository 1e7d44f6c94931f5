import type { LatLon } from '../core/lat-lon.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import { quantile } from '../reports/intervals.ts';
import type { SimCall } from './sim-calls.ts';

/** Our priorities: 1 emergency (lights and siren), 2 and 3 not. */
export type TravelFactors = Readonly<Record<'1' | '2' | '3', number>>;

export const NO_FACTORS: TravelFactors = { '1': 1, '2': 1, '3': 1 };

/** Fewer first units than this on a priority say too little: its factor stays 1. */
export const MIN_FACTOR_SAMPLES = 20;

export interface FittedFactors {
  readonly factors: TravelFactors;
  /** First units measured per priority (real travel and a road route from their own station). */
  readonly samples: Readonly<Record<'1' | '2' | '3', number>>;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * How much slower than an emergency run a non-emergency one drives, from the data: for each call's
 * first unit on scene, its real travel over the road's drive time from its own station to the
 * scene; the factor of a priority is the median of that ratio on its calls over the median on
 * emergency calls. The road's times are fitted to emergency runs, so priority 1 is 1 by
 * definition; a ratio is never below 1 (a call without lights is not driven faster than one with
 * them; DataSF's priority "E" calls are few and mixed). Units that were not at their station when
 * sent make single ratios wrong both ways; the median is what stands.
 */
export function fitTravelFactors(calls: Iterable<SimCall>, road: TravelTimeEstimator, homes: ReadonlyMap<string, LatLon>): FittedFactors {
  const ratios: Record<'1' | '2' | '3', number[]> = { '1': [], '2': [], '3': [] };
  for (const c of calls) {
    const r = c.real;
    if (r.travelS === undefined || r.travelS <= 0 || r.firstUnitId === undefined) continue;
    const home = homes.get(r.firstUnitId);
    if (home === undefined) continue;
    const [t] = road.travelTimes(c.location, [{ id: r.firstUnitId, location: home, unitType: r.firstUnitType ?? 'engine' }]);
    if (!t?.ok || t.travelS <= 0) continue;
    ratios[String(c.priority === 1 || c.priority === 2 ? c.priority : 3) as '1' | '2' | '3'].push(r.travelS / t.travelS);
  }
  const median = (v: number[]) => (v.length < MIN_FACTOR_SAMPLES ? undefined : quantile([...v].sort((a, b) => a - b), 0.5) ?? undefined);
  const emergency = median(ratios['1']) ?? 1;
  const factor = (p: '2' | '3') => {
    const m = median(ratios[p]);
    return m === undefined ? 1 : Math.max(1, round3(m / emergency));
  };
  return {
    factors: { '1': 1, '2': factor('2'), '3': factor('3') },
    samples: { '1': ratios['1'].length, '2': ratios['2'].length, '3': ratios['3'].length },
  };
}

export const factorOf = (factors: TravelFactors, priority: number): number => factors[String(priority === 1 || priority === 2 ? priority : 3) as '1' | '2' | '3'];
