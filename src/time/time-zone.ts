/**
 * UTC offsets of named time zones, for the core's local-time rules (AED opening hours, quiet
 * hours), which take the offset as an input and read no time-zone database themselves.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Minutes `timeZone` is ahead of UTC at instant `t` (epoch ms): -420 for San Francisco in July. */
export function utcOffsetMinAt(timeZone: string, t: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60_000);
}

/** The zone of the bundled demo city. */
export const DEMO_TIME_ZONE = 'America/Los_Angeles';
