/**
 * JSON text of a value, as the SQLite store keeps it: what is read back is always a fresh copy, and
 * a value JSON cannot hold (undefined where a column is NOT NULL) is refused, not stored.
 */
export function json(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('The value has no JSON form');
  return text;
}

export const parse = <T>(text: string): T => JSON.parse(text) as T;
