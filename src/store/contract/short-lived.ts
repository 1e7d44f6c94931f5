import { describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';

/** Throttle counts and one-time secrets: JSON under a key until it expires, shared by every node. */
export function shortLivedRules(h: Harness): void {
  const s = () => h.store.shortLived;
  const count = (n: number) => ({ n });

  describe('short-lived records', () => {
    it('put keeps a value that get reads (as often as asked) until it expires; put replaces it', async () => {
      const now = h.clock.now();
      await s().put('k', { a: [1, 'two'], b: null }, now + 1_000);
      expect(await s().get('k', now)).toEqual({ a: [1, 'two'], b: null });
      expect(await s().get('k', now + 999)).toEqual({ a: [1, 'two'], b: null });
      await s().put('k', 'replaced', now + 5_000);
      expect(await s().get('k', now + 1_000)).toBe('replaced');
      expect(await s().get('missing', now)).toBeUndefined();
    });

    it('a value is expired at its expiresAt: get and take no longer see it', async () => {
      const now = h.clock.now();
      await s().put('k', 1, now + 1_000);
      expect(await s().get('k', now + 1_000)).toBeUndefined();
      expect(await s().take('k', now + 1_000)).toBeUndefined();
      // Taken even so: an expired value is not there to be read at an earlier time either.
      expect(await s().get('k', now)).toBeUndefined();
    });

    it('take removes and returns a value once; the second take finds nothing', async () => {
      const now = h.clock.now();
      await s().put('ticket', { credentialId: 'c-1' }, now + 30_000);
      expect(await s().take('ticket', now)).toEqual({ credentialId: 'c-1' });
      expect(await s().take('ticket', now)).toBeUndefined();
      expect(await s().get('ticket', now)).toBeUndefined();
      expect(await s().take('never-put', now)).toBeUndefined();
    });

    it('takes of one key at once: exactly one gets the value', async () => {
      const now = h.clock.now();
      await s().put('ticket', 'v', now + 30_000);
      const got = await Promise.all(Array.from({ length: 10 }, () => s().take('ticket', now)));
      expect(got.filter((v) => v === 'v')).toHaveLength(1);
      expect(got.filter((v) => v === undefined)).toHaveLength(9);
    });

    it('what a caller reads is a copy: changing it changes nothing stored', async () => {
      const now = h.clock.now();
      await s().put('k', { items: ['a'] }, now + 1_000);
      const read = (await s().get('k', now)) as { items: string[] };
      read.items.push('b');
      expect(await s().get('k', now)).toEqual({ items: ['a'] });
    });

    it('a value without a JSON form is refused and nothing is kept', async () => {
      const now = h.clock.now();
      await expect(s().put('k', undefined, now + 1_000)).rejects.toThrow(TypeError);
      expect(await s().get('k', now)).toBeUndefined();
    });

    it('any string is a key and a value (NUL, backslashes, other scripts), each key its own', async () => {
      const now = h.clock.now();
      const keys = ['a\u0000b', 'a\\0b', 'a\\\u0000b', 'a', 'nom:é\n🚒', ''];
      for (const [i, k] of keys.entries()) await s().put(k, { i, text: `v\u0000\\${k}` }, now + 1_000);
      for (const [i, k] of keys.entries()) expect(await s().get(k, now)).toEqual({ i, text: `v\u0000\\${k}` });
    });

    it('update reads the values of its keys (missing or expired: undefined), writes back what change returns, and returns its result', async () => {
      const now = h.clock.now();
      await s().put('a', count(1), now + 1_000);
      await s().put('b', count(2), now + 10);
      await s().put('c', count(3), now + 1_000);
      const seen: unknown[] = [];
      const result = await s().update(['a', 'b', 'c', 'd'], now + 10, (current) => {
        seen.push(...current);
        return { values: [count(10), count(20), undefined, count(40)], expiresAt: now + 2_000, result: 'done' };
      });
      expect(result).toBe('done');
      expect(seen).toEqual([count(1), undefined, count(3), undefined]);
      expect(await s().get('a', now + 1_500)).toEqual(count(10));
      expect(await s().get('b', now + 1_500)).toEqual(count(20));
      expect(await s().get('c', now)).toBeUndefined();
      expect(await s().get('d', now + 1_999)).toEqual(count(40));
      expect(await s().get('d', now + 2_000)).toBeUndefined();
    });

    it('updates of one key at once are serialised: none is lost', async () => {
      const now = h.clock.now();
      const inc = () =>
        s().update(['counter', 'other'], now, ([c]) => {
          const n = ((c as { n: number } | undefined)?.n ?? 0) + 1;
          return { values: [count(n), count(-n)], expiresAt: now + 60_000, result: n };
        });
      const results = await Promise.all(Array.from({ length: 20 }, inc));
      expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await s().get('counter', now)).toEqual(count(20));
    });

    it('an update whose change throws, or returns what cannot be kept, writes nothing', async () => {
      const now = h.clock.now();
      await s().put('a', count(1), now + 1_000);
      await expect(
        s().update(['a'], now, () => {
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await expect(s().update(['a', 'b'], now, () => ({ values: [count(2)], expiresAt: now + 1_000, result: 0 }))).rejects.toThrow(TypeError);
      await expect(s().update(['a', 'b'], now, () => ({ values: [count(2), 10n], expiresAt: now + 1_000, result: 0 }))).rejects.toThrow(TypeError);
      await expect(s().update(['a', 'a'], now, () => ({ values: [count(2), count(3)], expiresAt: now + 1_000, result: 0 }))).rejects.toThrow(TypeError);
      expect(await s().get('a', now)).toEqual(count(1));
      expect(await s().get('b', now)).toBeUndefined();
      // The keys are free again: a later update is not held up.
      expect(await s().update(['a'], now, () => ({ values: [count(5)], expiresAt: now + 1_000, result: 5 }))).toBe(5);
    });

    it('deleteWhere deletes the keys with the prefix whose value matches, and counts them', async () => {
      const now = h.clock.now();
      await s().put('ticket:1', { device: 'd-1' }, now + 1_000);
      await s().put('ticket:2', { device: 'd-2' }, now + 1_000);
      await s().put('ticket:3', { device: 'd-1' }, now + 1_000);
      await s().put('code:1', { device: 'd-1' }, now + 1_000);
      await s().put('ticket', { device: 'd-1' }, now + 1_000);
      expect(await s().deleteWhere('ticket:', (v) => (v as { device: string }).device === 'd-1')).toBe(2);
      expect(await s().get('ticket:1', now)).toBeUndefined();
      expect(await s().get('ticket:3', now)).toBeUndefined();
      expect(await s().get('ticket:2', now)).toEqual({ device: 'd-2' });
      expect(await s().get('code:1', now)).toEqual({ device: 'd-1' });
      expect(await s().get('ticket', now)).toEqual({ device: 'd-1' });
      expect(await s().deleteWhere('nothing:', () => true)).toBe(0);
    });

    it('a prefix is matched character for character (NUL and backslash included)', async () => {
      const now = h.clock.now();
      await s().put('p\u0000x', 1, now + 1_000);
      await s().put('p\\0x', 2, now + 1_000);
      await s().put('p\\\\x', 3, now + 1_000);
      expect(await s().deleteWhere('p\u0000', () => true)).toBe(1);
      expect(await s().deleteWhere('p\\\\', () => true)).toBe(1);
      expect(await s().get('p\\0x', now)).toBe(2);
    });

    it('purge deletes what has expired at `now`, counts it, and keeps the rest', async () => {
      const now = h.clock.now();
      await s().put('old-1', 1, now);
      await s().put('old-2', 2, now - 5_000);
      await s().put('fresh', 3, now + 1);
      expect(await s().purge(now)).toBe(2);
      expect(await s().get('fresh', now)).toBe(3);
      expect(await s().get('old-1', now - 10_000)).toBeUndefined();
      expect(await s().purge(now)).toBe(0);
    });

    it.skipIf(!h.durable)('what was kept is there after a reopen (a durable store)', async () => {
      const now = h.clock.now();
      await s().put('k', { kept: true }, now + 60_000);
      await s().update(['n'], now, () => ({ values: [count(1)], expiresAt: now + 60_000, result: undefined }));
      await h.reopen();
      expect(await s().get('k', now)).toEqual({ kept: true });
      expect(await s().get('n', now)).toEqual(count(1));
    });
  });
}
