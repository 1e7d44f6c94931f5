import type { WeeklyHours } from '../core/aed.ts';
import { isValidWindow, WEEKDAYS, type DailyWindow, type Weekday } from '../core/local-time.ts';

/**
 * Opening hours in the subset of OpenStreetMap's `opening_hours` syntax that AED registries use:
 *
 *   24/7
 *   Mo-Fr 08:00-17:00
 *   Mo-Fr 08:00-12:00,13:00-17:00; Sa 09:00-13:00; Su off
 *   Mo,We,Fr 07:30-19:00
 *
 * Rules are separated by `;`; a later rule for a day replaces an earlier one (as in OSM). Days are
 * Mo Tu We Th Fr Sa Su (or mon … sun), single, in ranges (wrapping, Sa-Mo) or comma lists. A window
 * may end at 24:00 or pass midnight (22:00-02:00 belongs to the day it opens).
 */
const OSM_DAYS: Readonly<Record<string, Weekday>> = {
  mo: 'mon',
  tu: 'tue',
  we: 'wed',
  th: 'thu',
  fr: 'fri',
  sa: 'sat',
  su: 'sun',
  mon: 'mon',
  tue: 'tue',
  wed: 'wed',
  thu: 'thu',
  fri: 'fri',
  sat: 'sat',
  sun: 'sun',
};
/** Monday-first, as OSM ranges read. */
const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const dayOf = (s: string): Weekday | undefined => OSM_DAYS[s.toLowerCase()];

function daysOf(spec: string): Weekday[] | string {
  const out: Weekday[] = [];
  for (const part of spec.split(',')) {
    const [a, b, ...rest] = part.split('-');
    const from = dayOf(a ?? '');
    if (from === undefined || rest.length > 0) return `"${part}" is not a day or a day range (Mo-Fr)`;
    if (b === undefined) {
      out.push(from);
      continue;
    }
    const to = dayOf(b);
    if (to === undefined) return `"${part}" is not a day range (Mo-Fr)`;
    for (let i = WEEK.indexOf(from); ; i = (i + 1) % 7) {
      out.push(WEEK[i]!);
      if (WEEK[i] === to) break;
    }
  }
  return out;
}

function windowsOf(spec: string): DailyWindow[] | string {
  if (spec.toLowerCase() === 'off' || spec.toLowerCase() === 'closed') return [];
  const out: DailyWindow[] = [];
  for (const part of spec.split(',')) {
    const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(part.trim());
    const w = m ? { from: m[1]!, to: m[2]! } : undefined;
    if (!w || !isValidWindow(w)) return `"${part}" is not a time span HH:MM-HH:MM`;
    out.push(w);
  }
  return out;
}

/** Parses opening hours; a string is the reason they could not be read. */
export function parseOpeningHours(text: string): WeeklyHours | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'opening hours are empty (write 24/7, or e.g. Mo-Fr 08:00-17:00)';
  if (trimmed.length > 500) return 'opening hours are longer than 500 characters';
  if (/^24\/7$/.test(trimmed)) return { always: true, weekly: {} };
  const weekly: Partial<Record<Weekday, DailyWindow[]>> = {};
  for (const rule of trimmed.split(';').map((r) => r.trim()).filter((r) => r !== '')) {
    const m = /^(\S+)\s+(.+)$/.exec(rule);
    if (!m) return `rule "${rule}" needs days and times, e.g. Mo-Fr 08:00-17:00`;
    const days = daysOf(m[1]!);
    if (typeof days === 'string') return days;
    const windows = windowsOf(m[2]!.replace(/\s+/g, ''));
    if (typeof windows === 'string') return windows;
    for (const d of days) weekly[d] = windows;
  }
  for (const d of WEEKDAYS) if (weekly[d]?.length === 0) delete weekly[d];
  return { weekly };
}

/** Writes hours back in the same syntax, runs of days with the same windows as one range (for views). */
export function formatOpeningHours(h: WeeklyHours): string {
  if (h.always === true) return '24/7';
  const osm = (d: Weekday) => `${d[0]!.toUpperCase()}${d[1]}`;
  const spans = WEEK.map((d) => (h.weekly[d] ?? []).map((w) => `${w.from}-${w.to}`).join(','));
  const rules: string[] = [];
  for (let i = 0; i < 7; ) {
    let j = i;
    while (j + 1 < 7 && spans[j + 1] === spans[i]) j++;
    if (spans[i] !== '') rules.push(`${osm(WEEK[i]!)}${j > i ? `-${osm(WEEK[j]!)}` : ''} ${spans[i]}`);
    i = j + 1;
  }
  return rules.length === 0 ? 'off' : rules.join('; ');
}
