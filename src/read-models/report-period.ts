import { utcOffsetMinAt } from '../time/time-zone.ts';

/** The longest period a live report reads: every incident snapshot in it is read per request. */
export const LONGEST_REPORT_DAYS = 31;
const DAY_MS = 86_400_000;

export type PeriodName = 'today' | 'week';
export const PERIOD_NAMES: readonly PeriodName[] = ['today', 'week'];

/** Incidents received at `from` or later and before `to` (ISO, UTC). */
export interface ReportPeriod {
  readonly name?: PeriodName;
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
}

export type PeriodOutcome =
  | { readonly ok: true; readonly period: ReportPeriod }
  | { readonly ok: false; readonly code: 'InvalidReportPeriod' | 'ReportPeriodTooLong'; readonly message: string };

/** The instant local midnight begins the local day that holds `t` (epoch ms), across a change of clocks too. */
export function localMidnight(t: number, timeZone: string): number {
  const local = new Date(t + utcOffsetMinAt(timeZone, t) * 60_000);
  const midnightAsUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // The offset at midnight may differ from the one now (the clocks changed since); ask again there.
  const guess = midnightAsUtc - utcOffsetMinAt(timeZone, t) * 60_000;
  return midnightAsUtc - utcOffsetMinAt(timeZone, guess) * 60_000;
}

/** The local day `days` after the one that starts at `midnight` (epoch ms), begun at its own local midnight. */
function daysLater(midnight: number, days: number, timeZone: string): number {
  // Noon of the day wanted is never on either side of a change of clocks.
  return localMidnight(midnight + days * DAY_MS + DAY_MS / 2, timeZone);
}

/**
 * What a report covers: `today` (the service's local day, midnight to midnight), `week` (the local
 * week, Monday to Monday, ISO 8601), or `from`/`to` given as ISO instants, `to` excluded, at most
 * LONGEST_REPORT_DAYS long. With nothing given, today.
 */
export function reportPeriod(q: { period?: string; from?: string; to?: string }, now: number, timeZone: string): PeriodOutcome {
  const bad = (message: string): PeriodOutcome => ({ ok: false, code: 'InvalidReportPeriod', message });
  if (q.from !== undefined || q.to !== undefined) {
    if (q.period !== undefined) return bad('Give either period or from and to, not both');
    if (q.from === undefined || q.to === undefined) return bad('from and to go together: give both, as ISO 8601 instants');
    const from = parseInstant(q.from);
    const to = parseInstant(q.to);
    if (from === undefined) return bad(`from is not an ISO 8601 date or instant: ${q.from}`);
    if (to === undefined) return bad(`to is not an ISO 8601 date or instant: ${q.to}`);
    if (to <= from) return bad('to must come after from');
    if (to - from > LONGEST_REPORT_DAYS * DAY_MS) {
      return { ok: false, code: 'ReportPeriodTooLong', message: `A report covers ${LONGEST_REPORT_DAYS} days at most; ask for shorter periods one after the other` };
    }
    return { ok: true, period: { from: iso(from), to: iso(to), timeZone } };
  }
  const name = q.period ?? 'today';
  const today = localMidnight(now, timeZone);
  if (name === 'today') return { ok: true, period: { name, from: iso(today), to: iso(daysLater(today, 1, timeZone)), timeZone } };
  if (name === 'week') {
    const weekday = (new Date(today + DAY_MS / 2 + utcOffsetMinAt(timeZone, today + DAY_MS / 2) * 60_000).getUTCDay() + 6) % 7;
    const monday = daysLater(today, -weekday, timeZone);
    return { ok: true, period: { name, from: iso(monday), to: iso(daysLater(monday, 7, timeZone)), timeZone } };
  }
  return bad(`period must be one of ${PERIOD_NAMES.join(', ')}: ${name}`);
}

/** An ISO 8601 instant with its offset (or Z), or a date alone (midnight UTC); nothing looser. */
function parseInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

const iso = (t: number): string => new Date(t).toISOString();
