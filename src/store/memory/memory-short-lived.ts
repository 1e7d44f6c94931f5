import { checkChange, checkKeys } from '../short-lived-change.ts';
import type { ShortLivedStore } from '../short-lived-store.ts';
import type { Gate } from './gate.ts';
import { json, parse } from './json.ts';

interface Row {
  readonly text: string;
  readonly expiresAt: number;
}

/** Short-lived records in memory, kept as JSON text like the other stores keep them. */
export class MemoryShortLived implements ShortLivedStore {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly gate: Gate) {}

  async put(key: string, value: unknown, expiresAt: number): Promise<void> {
    this.gate.check();
    this.rows.set(key, { text: json(value), expiresAt });
  }

  async take(key: string, now: number): Promise<unknown> {
    this.gate.check();
    const row = this.rows.get(key);
    this.rows.delete(key);
    return row !== undefined && row.expiresAt > now ? parse(row.text) : undefined;
  }

  async get(key: string, now: number): Promise<unknown> {
    this.gate.check();
    const row = this.rows.get(key);
    return row !== undefined && row.expiresAt > now ? parse(row.text) : undefined;
  }

  async update<R>(
    keys: readonly string[],
    now: number,
    change: (current: readonly unknown[]) => { values: readonly unknown[]; expiresAt: number; result: R },
  ): Promise<R> {
    this.gate.check();
    checkKeys(keys);
    const current = keys.map((k) => {
      const row = this.rows.get(k);
      return row !== undefined && row.expiresAt > now ? parse(row.text) : undefined;
    });
    const { values, expiresAt, result } = change(current);
    checkChange(keys, values, expiresAt);
    // Every value is turned to text before any is kept, so one without a JSON form changes nothing.
    const texts = values.map((v) => (v === undefined ? undefined : json(v)));
    keys.forEach((k, i) => {
      const text = texts[i];
      if (text === undefined) this.rows.delete(k);
      else this.rows.set(k, { text, expiresAt });
    });
    return result;
  }

  async deleteWhere(prefix: string, matches: (value: unknown) => boolean): Promise<number> {
    this.gate.check();
    let deleted = 0;
    for (const [k, row] of this.rows) {
      if (k.startsWith(prefix) && matches(parse(row.text))) {
        this.rows.delete(k);
        deleted++;
      }
    }
    return deleted;
  }

  async purge(now: number): Promise<number> {
    this.gate.check();
    let deleted = 0;
    for (const [k, row] of this.rows) {
      if (row.expiresAt <= now) {
        this.rows.delete(k);
        deleted++;
      }
    }
    return deleted;
  }
}
