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

/**
 * Freezes a value and everything it holds, stopping at what is frozen already: a state folded from
 * a frozen one shares its unchanged parts, which are not walked again. Like `json`, a value JSON
 * cannot hold is refused.
 */
export function deepFreeze<T>(value: T): T {
  if (value === undefined) throw new TypeError('The value has no JSON form');
  freeze(value);
  return value;
}

function freeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) freeze(v);
}
