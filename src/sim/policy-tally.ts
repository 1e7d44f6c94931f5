import type { LatLon } from '../core/lat-lon.ts';
import { INTERVALS, type Compliance, type Distribution, type IncidentIntervals, type IntervalName, type NfpaThresholds } from '../reports/intervals.ts';
import { SF_GRID_ORIGIN, type LateCell } from '../reports/late-grid.ts';
import type { PolicySummary } from './sim-result.ts';
import { ValueCounts } from './value-counts.ts';

const M_PER_DEG_LAT = 111_320;
const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

const distributionOf = (v: ValueCounts): Distribution => ({ n: v.n, medianS: round1(v.quantile(0.5)), p90S: round1(v.quantile(0.9)) });

interface CellTally {
  readonly row: number;
  readonly col: number;
  readonly help: ValueCounts;
  n: number;
  travel: number;
  missed: number;
}

/**
 * What the JSON and the late grid need of a policy's incidents, tallied as each one is measured,
 * for a replay that keeps no per-incident record (a synthetic year). Every figure is the one
 * `distribution`, `compliance` and `lateGrid` give on the records themselves: the values are kept
 * as counts of each distinct value (ValueCounts), which a year has a few thousand of.
 */
export class PolicyTally {
  private readonly intervals = Object.fromEntries(INTERVALS.map((name) => [name, new ValueCounts()])) as Record<IntervalName, ValueCounts>;
  private readonly help = new ValueCounts();
  private readonly cells = new Map<number, Map<number, CellTally>>();
  private readonly dLat: number;
  private readonly dLon: number;
  private incidents = 0;
  private volunteerCalls = 0;
  private volunteerFirst = 0;
  private readonly within = { callToDispatch: 0, turnout: 0, travel: 0 };
  private readonly measured = { callToDispatch: 0, turnout: 0, travel: 0 };

  constructor(
    private readonly t: NfpaThresholds,
    private readonly cellM: number,
    private readonly origin: LatLon = SF_GRID_ORIGIN,
  ) {
    this.dLat = cellM / M_PER_DEG_LAT;
    this.dLon = cellM / (M_PER_DEG_LAT * Math.cos((origin.lat * Math.PI) / 180));
  }

  add(r: IncidentIntervals): void {
    this.incidents++;
    for (const name of INTERVALS) {
      const v = r[name];
      if (v !== undefined) this.intervals[name].add(v);
    }
    if (r.volunteerCall) {
      this.volunteerCalls++;
      if (r.firstHelpS !== undefined) this.help.add(r.firstHelpS);
      if (r.firstVolunteerS !== undefined && (r.firstUnitS === undefined || r.firstVolunteerS < r.firstUnitS)) this.volunteerFirst++;
    }
    this.comply('callToDispatch', r.callToDispatchS, this.t.callToDispatchS);
    this.comply('turnout', r.turnoutS, r.service === 'ems' ? this.t.turnoutEmsS : this.t.turnoutFireS);
    this.comply('travel', r.travelS, this.t.travelS);
    this.addToCell(r);
  }

  private comply(name: keyof PolicyTally['within'], v: number | undefined, limit: number): void {
    if (v === undefined) return;
    this.measured[name]++;
    if (v <= limit) this.within[name]++;
  }

  private addToCell(r: IncidentIntervals): void {
    const row = Math.floor((r.location.lat - this.origin.lat) / this.dLat);
    const col = Math.floor((r.location.lon - this.origin.lon) / this.dLon);
    let cols = this.cells.get(row);
    if (cols === undefined) this.cells.set(row, (cols = new Map()));
    let c = cols.get(col);
    if (c === undefined) cols.set(col, (c = { row, col, help: new ValueCounts(), n: 0, travel: 0, missed: 0 }));
    c.n++;
    if (r.firstHelpS !== undefined) c.help.add(r.firstHelpS);
    if (r.travelS !== undefined) {
      c.travel++;
      if (r.travelS > this.t.travelS) c.missed++;
    }
  }

  summary(): PolicySummary {
    const share = (name: keyof PolicyTally['within']) => (this.measured[name] === 0 ? null : round4(this.within[name] / this.measured[name]));
    const compliance: Compliance = {
      callToDispatch: share('callToDispatch'),
      turnout: share('turnout'),
      travel: share('travel'),
      n: { ...this.measured },
    };
    return {
      incidents: this.incidents,
      volunteerCalls: this.volunteerCalls,
      volunteerFirst: this.volunteerFirst,
      firstHelpVolunteerCalls: distributionOf(this.help),
      intervals: Object.fromEntries(INTERVALS.map((name) => [name, distributionOf(this.intervals[name])])) as Record<IntervalName, Distribution>,
      compliance,
    };
  }

  /** The cells as `lateGrid` lays and orders them (north first, then west to east). */
  grid(): LateCell[] {
    const all = [...this.cells.values()].flatMap((cols) => [...cols.values()]);
    return all
      .sort((a, b) => b.row - a.row || a.col - b.col)
      .map((c) => {
        const median = c.help.quantile(0.5);
        return {
          row: c.row,
          col: c.col,
          centre: { lat: round6(this.origin.lat + (c.row + 0.5) * this.dLat), lon: round6(this.origin.lon + (c.col + 0.5) * this.dLon) },
          sizeM: this.cellM,
          incidents: c.n,
          firstHelpMedianS: median === null ? null : Math.round(median),
          travelMissShare: c.travel === 0 ? null : Math.round((c.missed / c.travel) * 10_000) / 10_000,
        };
      });
  }
}
