import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { parseCsvRecords } from '../interop/csv.ts';
import { localHour, readSimCalls, type SimCall } from './sim-calls.ts';
import { DAYS_IN_YEAR, syntheticCalls } from './synthetic-year.ts';

const { calls } = readSimCalls(
  parseCsvRecords(readFileSync(`${PROJECT_ROOT}data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv`, 'utf8')),
  JSON.parse(readFileSync(`${PROJECT_ROOT}config/sf-call-types.json`, 'utf8')) as Record<string, string>,
);
/** 1 January 2017, 00:00 in San Francisco (PST, UTC−8). */
const START = Date.UTC(2017, 0, 1, 8);
const YEAR_END = Date.UTC(2018, 0, 1, 8);
const realById = new Map(calls.map((c) => [c.incidentId, c]));

describe('syntheticCalls', () => {
  it('draws exactly `count` calls over the year, in time order, with ids Y-1, Y-2, …', () => {
    const year = [...syntheticCalls(calls, 20_000, seededRandom(1), START)];
    expect(year).toHaveLength(20_000);
    expect(year.map((c) => c.incidentId).slice(0, 3)).toEqual(['Y-1', 'Y-2', 'Y-3']);
    expect(new Set(year.map((c) => c.incidentId)).size).toBe(20_000);
    for (let i = 1; i < year.length; i++) expect(year[i]!.receivedAt).toBeGreaterThanOrEqual(year[i - 1]!.receivedAt);
    expect(year[0]!.receivedAt).toBeGreaterThanOrEqual(START);
    expect(year.at(-1)!.receivedAt).toBeLessThan(YEAR_END);
    // Spread over the whole year: about count / 365 a day, in every month.
    const months = new Set(year.map((c) => new Date(c.receivedAt - 8 * 3_600_000).getUTCMonth()));
    expect(months.size).toBe(12);
  });

  it('keeps each drawn call’s place, nature, units and durations, at its real local hour', () => {
    const year = [...syntheticCalls(calls, 3000, seededRandom(2), START)];
    const origins = new Set<SimCall>();
    for (const y of year) {
      // The same units, shared: a drawn call's rows are those of one real call.
      const real = calls.find((c) => c.rows === y.rows && c.location === y.location)!;
      expect(real).toBeDefined();
      origins.add(real);
      expect(y).toMatchObject({ nature: real.nature, callType: real.callType, priority: real.priority, service: real.service, volunteerCall: real.volunteerCall, hour: real.hour });
      expect(localHour(y.receivedAt)).toBe(y.hour);
      expect(y.real).toEqual({ ...real.real, incidentId: y.incidentId, receivedAt: y.receivedAt });
    }
    // Drawn from across the mix, not a few calls.
    expect(origins.size).toBeGreaterThan(1000);
    expect(realById.size).toBe(calls.length);
  });

  it('follows the real calls’ hour-of-day profile', () => {
    const year = [...syntheticCalls(calls, 50_000, seededRandom(3), START)];
    const share = (list: readonly SimCall[], from: number, to: number) => list.filter((c) => c.hour >= from && c.hour < to).length / list.length;
    // Per hour, afternoons are busier than small hours in the real calls, and so in the drawn year.
    expect(share(calls, 12, 20) / 8).toBeGreaterThan((1.5 * share(calls, 2, 6)) / 4);
    expect(share(year, 12, 20) / 8).toBeGreaterThan((1.5 * share(year, 2, 6)) / 4);
    for (const [from, to] of [
      [0, 6],
      [6, 12],
      [12, 18],
      [18, 24],
    ] as const) {
      expect(Math.abs(share(year, from, to) - share(calls, from, to))).toBeLessThan(0.02);
    }
  });

  it('is lazy: the first calls come without the year being drawn', () => {
    let draws = 0;
    const random = seededRandom(4);
    const counting = () => {
      draws++;
      return random();
    };
    const it = syntheticCalls(calls, 500_000, counting, START)[Symbol.iterator]();
    expect(it.next().value?.incidentId).toBe('Y-1');
    // One day's calls (500,000 / 365 ≈ 1,370, two draws each), not the year's million.
    expect(draws).toBeLessThan(2 * Math.ceil(500_000 / DAYS_IN_YEAR) + 10);
  });

  it('is the same for the same seed, different for another', () => {
    const a = [...syntheticCalls(calls, 500, seededRandom(9), START)].map((c) => [c.incidentId, c.receivedAt, c.location]);
    const b = [...syntheticCalls(calls, 500, seededRandom(9), START)].map((c) => [c.incidentId, c.receivedAt, c.location]);
    const c = [...syntheticCalls(calls, 500, seededRandom(10), START)].map((x) => [x.incidentId, x.receivedAt, x.location]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps local hours in summer time (PDT, UTC−7) and on the days the clocks change', () => {
    const year = [...syntheticCalls(calls, 30_000, seededRandom(5), START)];
    const summer = year.filter((c) => c.receivedAt > Date.UTC(2017, 6, 1) && c.receivedAt < Date.UTC(2017, 6, 8));
    expect(summer.length).toBeGreaterThan(0);
    for (const c of summer) expect(localHour(c.receivedAt)).toBe(c.hour);
    // 12 March and 5 November 2017.
    const changes = year.filter((c) => Math.abs(c.receivedAt - Date.UTC(2017, 2, 12, 10)) < 12 * 3_600_000 || Math.abs(c.receivedAt - Date.UTC(2017, 10, 5, 9)) < 12 * 3_600_000);
    expect(changes.length).toBeGreaterThan(50);
    for (const c of changes) expect(localHour(c.receivedAt)).toBe(c.hour);
  });

  it('yields nothing from no calls or for a count of zero', () => {
    expect([...syntheticCalls([], 10, seededRandom(1), START)]).toEqual([]);
    expect([...syntheticCalls(calls, 0, seededRandom(1), START)]).toEqual([]);
  });
});
