import { describe, expect, it } from 'vitest';
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
  });
}
