import type { EpochMs } from './ids.ts';

/**
 * Local wall-clock time from an instant and a UTC offset. The offset is an input (the app computes
 * it for the place and the moment, so daylight saving is its concern); the core reads no clock and
 * no time-zone database.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A daily window in local time, 'HH:MM' to 'HH:MM'. `to` may be '24:00'; `from` > `to` spans midnight. */
export interface DailyWindow {
  readonly from: string;
  readonly to: string;
}

export interface LocalClock {
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0..1439. */
  readonly minute: number;
  /** 'HH:MM', for reasons. */
  readonly text: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local weekday and time of day at `t` for a place `utcOffsetMin` minutes ahead of UTC. */
export function localClock(t: EpochMs, utcOffsetMin: number): LocalClock {
  const local = new Date(t + utcOffsetMin * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return {
    weekday: WEEKDAYS[local.getUTCDay()] ?? 'sun',
    minute,
    text: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
  };
}

/** Minutes since midnight of 'HH:MM' (00:00..24:00), or undefined when it is not such a time. */
export function minuteOfDay(hhmm: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (m === null) return undefined;
  const minute = Number(m[1]) * 60 + Number(m[2]);
  return minute <= 24 * 60 ? minute : undefined;
}

/** True when the window is two valid times that differ (an empty or whole-day window is ambiguous). */
export function isValidWindow(w: DailyWindow): boolean {
  const from = minuteOfDay(w.from);
  const to = minuteOfDay(w.to);
  return from !== undefined && to !== undefined && from !== to && from < 24 * 60;
}

/** Whether a window that starts on the day in question covers `minute` of that same day. */
export function coversSameDay(w: DailyWindow, minute: number): boolean {
  const from = minuteOfDay(w.from);
  const to = minuteOfDay(w.to);
  if (from === undefined || to === undefined) return false;
  return from < to ? minute >= from && minute < to : minute >= from;
}

/** Whether a window that started the day before spills past midnight over `minute`. */
export function coversNextDay(w: DailyWindow, minute: number): boolean {
  const from = minuteOfDay(w.from);
  const to = minuteOfDay(w.to);
  if (from === undefined || to === undefined) return false;
  return from > to && minute < to;
}

/** Whether a window that repeats every day covers the local time of day `minute`. */
export const coversDaily = (w: DailyWindow, minute: number): boolean => coversSameDay(w, minute) || coversNextDay(w, minute);

/** The weekday before `d`. */
export const dayBefore = (d: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(d) + 6) % 7] ?? 'sun';
