import { NFPA_1710 } from '../reports/intervals.ts';
import type { SimCall } from './sim-calls.ts';

/** Fewer values than this in an hour (or a 3-hour window) say too little: the draw looks wider. */
export const MIN_SAMPLES = 5;

const byPriority = (unitType: string, priority: number) => `${unitType}@${priority}`;

/**
 * Values of one measure grouped by a key (unit type, or priority) and local hour, drawn with a
 * given random source: the same source gives the same draws. A draw takes one of the data's own
 * values, never an average, so the spread of real turnouts (a crew at the far end of a station,
 * a call at 3 a.m.) reaches the replay.
 */
class HourlyValues {
  private readonly byHour = new Map<string, number[]>();
  private readonly widened = new Map<string, readonly number[]>();
  /** Counts over every hour, by key, as asked (each draw asks; the values never change once drawn from). */
  private readonly counts = new Map<string, number>();

  add(key: string, hour: number, value: number): void {
    this.counts.clear();
    const k = `${key}|${hour}`;
    const list = this.byHour.get(k);
    if (list) list.push(value);
    else this.byHour.set(k, [value]);
  }

  /** The values to draw from for (key, hour): the hour, else hour ± 1, else every hour; empty when the key has none. */
  pool(key: string, hour: number): readonly number[] {
    const k = `${key}|${hour}`;
    let pool = this.widened.get(k);
    if (pool) return pool;
    const at = (h: number) => this.byHour.get(`${key}|${(h + 24) % 24}`) ?? [];
    pool = at(hour);
    if (pool.length < MIN_SAMPLES) pool = [...at(hour - 1), ...at(hour), ...at(hour + 1)];
    if (pool.length < MIN_SAMPLES) pool = Array.from({ length: 24 }, (_, h) => at(h)).flat();
    pool = [...pool].sort((a, b) => a - b);
    this.widened.set(k, pool);
    return pool;
  }

  /** Values of the key over every hour. */
  count(key: string): number {
    let n = this.counts.get(key);
    if (n !== undefined) return n;
    n = 0;
    for (let h = 0; h < 24; h++) n += this.byHour.get(`${key}|${h}`)?.length ?? 0;
    this.counts.set(key, n);
    return n;
  }

  draw(key: string, hour: number, random: () => number): number | undefined {
    const pool = this.pool(key, hour);
    return pool.length === 0 ? undefined : pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))];
  }
}

/**
 * The times a replay cannot compute and takes from the real calls: a unit's turnout (dispatch to en
 * route) by unit type and hour, and alarm processing (received to first dispatch) by priority and hour.
 */
export class EmpiricalTimes {
  private readonly turnouts = new HourlyValues();
  private readonly processing = new HourlyValues();

  private constructor(private readonly configTurnoutS: ReadonlyMap<string, { readonly turnoutS: number }>) {}

  /**
   * Every dispatched unit's real turnout counts (not only the first on scene): later units turn out
   * too. A row whose Response stamp equals its Dispatch stamp is a unit already on the road when
   * sent (a medic between calls, a unit returning): it had no turnout to draw. Those rows are left
   * out, and the replay gives a unit it sends from the road no turnout instead, so a crew at its
   * station never draws a rolling unit's zero. Turnouts are kept by unit type and by type and
   * call priority: an emergency crew turns out in about a minute, a medic on a non-emergency call
   * is mostly already rolling. `unitTypes` (config/unit-types.json) gives the turnout of a type
   * the data never saw.
   */
  static fromCalls(calls: Iterable<SimCall>, unitTypes: ReadonlyMap<string, { readonly turnoutS: number }> = new Map()): EmpiricalTimes {
    const t = new EmpiricalTimes(unitTypes);
    for (const c of calls) {
      for (const r of c.rows) {
        if (r.real.turnoutS === undefined || r.real.turnoutS === 0) continue;
        t.turnouts.add(r.unitType, c.hour, r.real.turnoutS);
        t.turnouts.add(byPriority(r.unitType, c.priority), c.hour, r.real.turnoutS);
      }
      if (c.real.callToDispatchS !== undefined) t.processing.add(String(c.priority), c.hour, c.real.callToDispatchS);
    }
    return t;
  }

  /** A crew's turnout at its station; with the call's priority when the data has enough of the type at that priority. */
  turnoutS(unitType: string, hour: number, random: () => number, priority?: number): number {
    const key = priority !== undefined && this.turnouts.count(byPriority(unitType, priority)) >= MIN_SAMPLES ? byPriority(unitType, priority) : unitType;
    // A type without data: its configured turnout, else NFPA 1710's fire turnout (the longer one).
    return this.turnouts.draw(key, hour, random) ?? this.configTurnoutS.get(unitType)?.turnoutS ?? NFPA_1710.turnoutFireS;
  }

  /** A priority the data never had: NFPA 1221's alarm processing objective. */
  callToDispatchS(priority: number, hour: number, random: () => number): number {
    return this.processing.draw(String(priority), hour, random) ?? NFPA_1710.callToDispatchS;
  }
}
