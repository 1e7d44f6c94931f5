/**
 * The one writer of the date-times the standards carry (RFC 3339, as xs:dateTime): to the second
 * or the millisecond, always with a numeric offset and never "Z" (CAP's XSD refuses it, EMSI's
 * pattern wants an offset). `utc` is how a zero offset is written: CAP writes UTC as "-00:00".
 */
export function offsetDateTime(epochMs: number, o: { readonly offsetMin?: number; readonly millis?: boolean; readonly utc?: '+00:00' | '-00:00' } = {}): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a time: ${epochMs}`);
  const offsetMin = o.offsetMin ?? 0;
  const local = new Date(epochMs + offsetMin * 60_000).toISOString().slice(0, o.millis === true ? 23 : 19);
  if (offsetMin === 0) return `${local}${o.utc ?? '+00:00'}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(abs / 60))}:${pad(abs % 60)}`;
}

/** An ISO instant's epoch ms; a RangeError for text that is not one (never a silent "NaN"). */
export function instantOf(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${iso}`);
  return ms;
}
