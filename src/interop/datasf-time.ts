/**
 * DataSF stamps are local San Francisco time without an offset ("12/31/2016 11:57:56 PM").
 * Converts one to epoch ms, resolving the Pacific offset (PST or PDT) for that instant.
 */
const PATTERN = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}) (AM|PM)$/;
const pacific = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const HOUR_MS = 3_600_000;
/**
 * Pacific offsets change only at 02:00 local, which is always on a whole UTC hour (10:00 or 09:00
 * UTC), so one answer per UTC hour is exact; formatToParts is slow and a file repeats its hours.
 */
const offsetByHour = new Map<number, number>();

function pacificOffsetMs(utcMs: number): number {
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= 100_000) offsetByHour.clear();
    offset = offsetAt(hour * HOUR_MS);
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function offsetAt(utcMs: number): number {
  const parts = Object.fromEntries(pacific.formatToParts(utcMs).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - utcMs;
}

export function parseDataSfTime(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, mo, d, y, hh, mm, ss, ampm] = m;
  // A 12-hour clock reads 12, 01 .. 11; Date.UTC would roll any out-of-range part into a wrong instant.
  if (Number(hh) < 1 || Number(hh) > 12) return undefined;
  const hour = (Number(hh) % 12) + (ampm === 'PM' ? 12 : 0);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mm), Number(ss));
  const back = new Date(wall);
  if (
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    back.getUTCMinutes() !== Number(mm) ||
    back.getUTCSeconds() !== Number(ss)
  ) {
    return undefined;
  }
  // Guess with the offset at the wall time read as UTC, then correct once (DST edges).
  const first = wall - pacificOffsetMs(wall);
  return wall - pacificOffsetMs(first);
}
