import type { IncidentIntervals } from '../reports/intervals.ts';
import type { Fidelity, PairFigures } from './sim-result.ts';
import { ValueCounts } from './value-counts.ts';

type Compared = 'travelS' | 'firstUnitS';

/** One interval simulated against real, over the incidents that have it on both sides. */
class PairTally {
  readonly sim = new ValueCounts();
  readonly real = new ValueCounts();
  readonly errors = new ValueCounts();

  add(sim: number | undefined, real: number | undefined): void {
    if (sim === undefined || real === undefined) return;
    this.sim.add(sim);
    this.real.add(real);
    this.errors.add(Math.abs(sim - real));
  }

  figures(): PairFigures {
    const n = this.errors.n;
    const median = (v: ValueCounts) => {
      const q = v.quantile(0.5);
      return q === null ? null : round1(q);
    };
    return {
      n,
      simMedianS: median(this.sim),
      realMedianS: median(this.real),
      medianAbsErrorS: median(this.errors),
      meanAbsErrorS: n === 0 ? null : round1(this.errors.sumOfValues / n),
    };
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The fidelity figures (simulated under `routed` against real first-unit travel and time on scene),
 * tallied as each incident is measured instead of kept pair by pair: a synthetic year has half a
 * million. Medians and means are those of the values themselves (see ValueCounts).
 */
export class FidelityTally {
  private readonly all: Record<Compared, PairTally> = { travelS: new PairTally(), firstUnitS: new PairTally() };
  private readonly byPriority = new Map<number, Record<Compared, PairTally>>();

  add(sim: IncidentIntervals, real: IncidentIntervals): void {
    let mine = this.byPriority.get(real.priority);
    if (mine === undefined) this.byPriority.set(real.priority, (mine = { travelS: new PairTally(), firstUnitS: new PairTally() }));
    for (const name of ['travelS', 'firstUnitS'] as const) {
      this.all[name].add(sim[name], real[name]);
      mine[name].add(sim[name], real[name]);
    }
  }

  fidelity(): Fidelity {
    const travel = this.all.travelS.figures();
    const byPriority: Record<string, { travel: PairFigures; firstUnit: PairFigures }> = {};
    for (const p of [...this.byPriority.keys()].sort((a, b) => a - b)) {
      const mine = this.byPriority.get(p)!;
      byPriority[String(p)] = { travel: mine.travelS.figures(), firstUnit: mine.firstUnitS.figures() };
    }
    return {
      n: travel.n,
      simFirstUnitTravelMedianS: travel.simMedianS,
      realFirstUnitTravelMedianS: travel.realMedianS,
      firstUnitTravelMedianAbsErrorS: travel.medianAbsErrorS,
      firstUnitTravelMeanAbsErrorS: travel.meanAbsErrorS,
      firstUnit: this.all.firstUnitS.figures(),
      byPriority,
    };
  }
}
