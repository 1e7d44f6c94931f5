import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS } from '../event-store.ts';
import type { Harness } from './harness.ts';
import { added, req, stored } from './test-model.ts';

/** Idempotency-Key records, written with the events of the request that carried the key. */
export function idempotencyRules(h: Harness): void {
  describe('idempotency', () => {
    it('the idempotency record is written in the same transaction as the events; a refused append records nothing under its key', async () => {
      expect(await h.events.idempotency('k1')).toBeUndefined();
      stored(
        await h.events.append(
          req([added('box-1', 'a')], undefined, { idempotency: { key: 'k1', fingerprint: 'f1', result: { id: 'box-1' } } }),
        ),
      );
      expect(await h.events.idempotency('k1')).toEqual({ fingerprint: 'f1', result: { id: 'box-1' } });
      const refused = await h.events.append(
        req([added('box-1', 'b')], undefined, { idempotency: { key: 'k2', fingerprint: 'f2', result: 2 } }),
      );
      expect(refused).toMatchObject({ ok: false, code: 'VersionConflict' });
      expect(await h.events.idempotency('k2')).toBeUndefined();
      expect(await h.events.headSeq()).toBe(1);
    });

    it('a second append with the same idempotency key returns IdempotencyKeyReplayed with the first result and writes nothing', async () => {
      stored(
        await h.events.append(
          req([added('box-1', 'a')], undefined, { idempotency: { key: 'k1', fingerprint: 'f1', result: { id: 'box-1' } } }),
        ),
      );
      const again = await h.events.append(
        req([added('box-2', 'b')], undefined, { idempotency: { key: 'k1', fingerprint: 'other', result: { id: 'box-2' } } }),
      );
      expect(again).toMatchObject({ ok: false, code: 'IdempotencyKeyReplayed', result: { id: 'box-1' } });
      expect(await h.events.headSeq()).toBe(1);
      expect(await h.events.load(['box-2'])).toEqual(new Map());
      expect(await h.events.idempotency('k1')).toEqual({ fingerprint: 'f1', result: { id: 'box-1' } });
    });

    it('a retried request is answered IdempotencyKeyReplayed even though its expected versions are now stale', async () => {
      const retried = req(
        [added('box-1', 'a')],
        { 'box-1': 0 },
        { idempotency: { key: 'k1', fingerprint: 'f1', result: { seq: 1 } } },
      );
      stored(await h.events.append(retried));
      expect(await h.events.append(retried)).toMatchObject({ ok: false, code: 'IdempotencyKeyReplayed', result: { seq: 1 } });
      expect(await h.events.headSeq()).toBe(1);
    });

    it('a key is remembered for 24 h after it was written, and no longer: a request under it after that is new', async () => {
      const keyed = (stream: string, result: unknown) =>
        req([added(stream, 'a')], undefined, { idempotency: { key: 'k1', fingerprint: `f-${stream}`, result } });
      stored(await h.events.append(keyed('box-1', { id: 'box-1' })));
      h.clock.advance(IDEMPOTENCY_TTL_MS - 1);
      expect(await h.events.idempotency('k1')).toEqual({ fingerprint: 'f-box-1', result: { id: 'box-1' } });
      expect(await h.events.append(keyed('box-2', { id: 'box-2' }))).toMatchObject({ ok: false, code: 'IdempotencyKeyReplayed' });
      h.clock.advance(1);
      expect(await h.events.idempotency('k1')).toBeUndefined();
      stored(await h.events.append(keyed('box-2', { id: 'box-2' })));
      expect(await h.events.idempotency('k1')).toEqual({ fingerprint: 'f-box-2', result: { id: 'box-2' } });
      expect(await h.events.headSeq()).toBe(2);
      // The new record has its own 24 h.
      h.clock.advance(IDEMPOTENCY_TTL_MS - 1);
      expect(await h.events.append(keyed('box-3', { id: 'box-3' }))).toMatchObject({ ok: false, code: 'IdempotencyKeyReplayed', result: { id: 'box-2' } });
    });

    it('an expired key stays expired across a reopen, and a refused append leaves the expired record as it was', async () => {
      stored(await h.events.append(req([added('box-1', 'a')], undefined, { idempotency: { key: 'k1', fingerprint: 'f1', result: 1 } })));
      h.clock.advance(IDEMPOTENCY_TTL_MS);
      const refused = await h.events.append(
        req([added('box-1', 'again')], undefined, { idempotency: { key: 'k1', fingerprint: 'f2', result: 2 } }),
      );
      expect(refused).toMatchObject({ ok: false, code: 'VersionConflict' });
      expect(await h.events.idempotency('k1')).toBeUndefined();
      if (h.durable) await h.reopen();
      expect(await h.store.events.idempotency('k1')).toBeUndefined();
      stored(await h.store.events.append(req([added('box-2', 'a')], undefined, { idempotency: { key: 'k1', fingerprint: 'f3', result: 3 } })));
      expect(await h.store.events.idempotency('k1')).toEqual({ fingerprint: 'f3', result: 3 });
    });
  });
}
