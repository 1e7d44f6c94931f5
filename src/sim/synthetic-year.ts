import { DEMO_TIME_ZONE, utcOffsetMinAt } from '../time/time-zone.ts';
import { localHour, type SimCall } from './sim-calls.ts';

export const DAYS_IN_YEAR = 365;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Epoch ms of a local wall-clock time (`wallMs` = the local time read as if it were UTC). */
function fromWall(wallMs: number): number {
  const guess = wallMs - utcOffsetMinAt(DEMO_TIME_ZONE, wallMs) * 60_000;
  return wallMs - utcOffsetMinAt(DEMO_TIME_ZONE, guess) * 60_000;
}

/**
 * A year of calls drawn from the real mix, generated lazily in time order so that a replay of
 * 500,000 never holds them all. Each call is a copy of a real one picked at random: it keeps its
 * place, nature, units and their real durations (shared, not copied), and its local hour, so the
 * hours of the day follow the real calls' profile. It gets a new id (`Y-<n>`, n from 1 in time
 * order) and a time in the same local hour of one of the 365 days from the local midnight of
 * `startAt`'s day. Days get `count / 365` calls each, the remainder spread evenly.
 */
export function* syntheticCalls(calls: readonly SimCall[], count: number, random: () => number, startAt: number): Generator<SimCall> {
  if (calls.length === 0 || count <= 0) return;
  const startWall = startAt + utcOffsetMinAt(DEMO_TIME_ZONE, startAt) * 60_000;
  const firstMidnightWall = Math.floor(startWall / DAY_MS) * DAY_MS;
  let n = 0;
  for (let day = 0; day < DAYS_IN_YEAR; day++) {
    const today = Math.floor(((day + 1) * count) / DAYS_IN_YEAR) - Math.floor((day * count) / DAYS_IN_YEAR);
    const midnight = firstMidnightWall + day * DAY_MS;
    // The zone database is slow to ask: once a day, unless the clocks change that day.
    const offset = fromWall(midnight) - midnight;
    const steady = fromWall(midnight + DAY_MS) - (midnight + DAY_MS) === offset;
    const drawn: { call: SimCall; at: number; order: number }[] = [];
    for (let i = 0; i < today; i++) {
      const call = calls[Math.min(calls.length - 1, Math.floor(random() * calls.length))]!;
      const wall = midnight + call.hour * HOUR_MS + Math.floor(random() * 3600) * 1000;
      drawn.push({ call, at: steady ? wall + offset : fromWall(wall), order: i });
    }
    drawn.sort((a, b) => a.at - b.at || a.order - b.order);
    for (const { call, at } of drawn) {
      const incidentId = `Y-${++n}`;
      // 2 a.m. does not exist the day clocks go forward: such a call lands at 3 and says so.
      const hour = steady ? call.hour : localHour(at);
      yield { ...call, incidentId, receivedAt: at, hour, real: { ...call.real, incidentId, receivedAt: at } };
    }
  }
}
