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

function pacificOffsetMs(utcMs: number): number {
  const parts = Object.fromEntries(pacific.formatToParts(utcMs).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - utcMs;
}

export function parseDataSfTime(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, mo, d, y, hh, mm, ss, ampm] = m;
  const hour = (Number(hh) % 12) + (ampm === 'PM' ? 12 : 0);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mm), Number(ss));
  // Guess with the offset at the wall time read as UTC, then correct once (DST edges).
  const first = wall - pacificOffsetMs(wall);
  return wall - pacificOffsetMs(first);
}
