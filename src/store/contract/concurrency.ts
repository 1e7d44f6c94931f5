import { describe, expect, it } from 'vitest';
import type { AppendOutcome } from '../event-store.ts';
import type { Harness } from './harness.ts';
import { added, expectSnapshotsMatchLog, readLog, req, stored } from './test-model.ts';
import { user } from './test-records.ts';

/**
 * Appends started together, without awaiting each other: a store may commit them in one
 * transaction, but each takes effect in the order it was called and succeeds or fails alone.
 */
export function concurrencyRules(h: Harness): void {
  describe('concurrent appends', () => {
    it('concurrent appends on different streams all succeed, with gap-free seq in the order the calls were made', async () => {
      const calls: Promise<AppendOutcome>[] = [];
      for (let i = 1; i <= 20; i++) calls.push(h.events.append(req([added(`box-${i}`, `x${i}`)])));
      const outcomes = await Promise.all(calls);
      expect(outcomes.map((o) => stored(o).map((e) => [e.seq, e.stream, e.version]))).toEqual(
        outcomes.map((_, i) => [[i + 1, `box-${i + 1}`, 1]]),
      );
      expect(await h.events.headSeq()).toBe(20);
      expect((await readLog(h.events)).map((e) => e.stream)).toEqual(outcomes.map((_, i) => `box-${i + 1}`));
      await expectSnapshotsMatchLog(h.events);
    });

    it('of concurrent appends against the same stream version, exactly one wins; the others get VersionConflict', async () => {
      stored(await h.events.append(req([added('box-1', 'first')])));
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((x) => h.events.append(req([added('box-1', x)], { 'box-1': 1 }))),
      );
      const won = outcomes.filter((o) => o.ok);
      expect(won).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok && o.code === 'VersionConflict')).toHaveLength(4);
      expect(outcomes.filter((o) => !o.ok)).toEqual(
        Array.from({ length: 4 }, () => expect.objectContaining({ details: { stream: 'box-1', expected: 1, actual: 2 } })),
      );
      expect(await readLog(h.events)).toEqual([...(await h.events.readAfter(0, 1)), ...stored(won[0]!)]);
      expect(await h.events.headSeq()).toBe(2);
    });

    it('of two concurrent appends of a new stream (expected 0), exactly one wins', async () => {
      const outcomes = await Promise.all([
        h.events.append(req([added('box-1', 'a')])),
        h.events.append(req([added('box-1', 'b')])),
      ]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok && o.code === 'VersionConflict')).toHaveLength(1);
      expect(await h.events.headSeq()).toBe(1);
    });

    it('concurrent appends take effect in call order: a later call may build on the version an earlier one made', async () => {
      const outcomes = await Promise.all([
        h.events.append(req([added('box-1', 'a')], { 'box-1': 0 })),
        h.events.append(req([added('box-1', 'b')], { 'box-1': 1 })),
        h.events.append(req([added('box-1', 'c')], { 'box-1': 2 })),
      ]);
      expect(outcomes.map((o) => stored(o).map((e) => [e.seq, e.version]))).toEqual([[[1, 1]], [[2, 2]], [[3, 3]]]);
      expect((await h.events.load(['box-1'])).get('box-1')?.state.items).toEqual(['a', 'b', 'c']);
    });

    it('an idempotency key used by two concurrent appends is applied once: the other gets IdempotencyKeyReplayed with the first result', async () => {
      const outcomes = await Promise.all([
        h.events.append(
          req([added('box-1', 'a')], undefined, { idempotency: { key: 'k', fingerprint: 'f', result: { id: 'box-1' } } }),
        ),
        h.events.append(
          req([added('box-2', 'b')], undefined, { idempotency: { key: 'k', fingerprint: 'f', result: { id: 'box-2' } } }),
        ),
      ]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      const winner = outcomes.findIndex((o) => o.ok);
      const replayed = outcomes[1 - winner];
      expect(replayed).toMatchObject({ ok: false, code: 'IdempotencyKeyReplayed', result: { id: `box-${winner + 1}` } });
      expect(await h.events.headSeq()).toBe(1);
      expect(await h.events.idempotency('k')).toEqual({ fingerprint: 'f', result: { id: `box-${winner + 1}` } });
    });

    it('each request of a concurrent group succeeds or fails alone, and refused ones leave no gap in seq', async () => {
      stored(
        await h.events.append(
          req([added('box-9', 'z')], undefined, { idempotency: { key: 'used', fingerprint: 'f', result: 0 } }),
        ),
      );
      const outcomes = await Promise.all([
        h.events.append(req([added('box-1', 'a')], undefined, { idempotency: { key: 'k1', fingerprint: 'f1', result: 1 } })),
        h.events.append(
          req([added('box-9', 'dup')], undefined, { records: [{ type: 'user.add', user: user('U-1', 'conflicted') }] }),
        ),
        h.events.append(req([added('box-2', 'b')])),
        h.events.append(req([added('box-3', 'c')], undefined, { idempotency: { key: 'used', fingerprint: 'f', result: 3 } })),
        h.events.append(req([added('box-4', 'd')], undefined, { records: [{ type: 'user.add', user: user('U-2', 'kept') }] })),
      ]);
      expect(outcomes.map((o) => (o.ok ? o.events.map((e) => e.seq) : o.code))).toEqual([
        [2],
        'VersionConflict',
        [3],
        'IdempotencyKeyReplayed',
        [4],
      ]);
      expect((await readLog(h.events)).map((e) => e.stream)).toEqual(['box-9', 'box-1', 'box-2', 'box-4']);
      expect(await h.events.idempotency('k1')).toEqual({ fingerprint: 'f1', result: 1 });
      expect(await h.events.idempotency('used')).toEqual({ fingerprint: 'f', result: 0 });
      expect(await h.store.accounts.userByName('conflicted')).toBeUndefined();
      expect(await h.store.accounts.userByName('kept')).toMatchObject({ id: 'U-2' });
      expect(await h.events.load(['box-3'])).toEqual(new Map());
      await expectSnapshotsMatchLog(h.events);
    });

    it('a request that breaks a table’s rule (a second user of a name) is rejected alone and writes nothing', async () => {
      stored(
        await h.events.append(
          req([added('box-0', 'x')], undefined, { records: [{ type: 'user.add', user: user('U-1', 'ann') }] }),
        ),
      );
      const calls = [
        h.events.append(req([added('box-1', 'a')])),
        h.events.append(req([added('box-2', 'b')], undefined, { records: [{ type: 'user.add', user: user('U-2', 'ann') }] })),
        h.events.append(req([added('box-3', 'c')])),
      ];
      const [first, second, third] = await Promise.allSettled(calls);
      expect(second?.status).toBe('rejected');
      expect(first).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      expect(third).toMatchObject({ status: 'fulfilled', value: { ok: true } });
      expect((await readLog(h.events)).map((e) => [e.seq, e.stream])).toEqual([
        [1, 'box-0'],
        [2, 'box-1'],
        [3, 'box-3'],
      ]);
      expect(await h.store.accounts.userById('U-2')).toBeUndefined();
      expect(await h.events.load(['box-2'])).toEqual(new Map());
    });
  });
}
