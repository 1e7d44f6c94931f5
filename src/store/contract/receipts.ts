import { describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { added, readLog, req, stored } from './test-model.ts';
import { mark, user } from './test-records.ts';

/** Delivery receipts: each column set once, by `receipt.mark` record writes that also guard their append. */
export function receiptRules(h: Harness): void {
  describe('receipts', () => {
    let n = 0;
    const withMarks = (...records: ReturnType<typeof mark>[]) => req([added(`rcpt-${++n}`, 'receipt')], undefined, { records });

    it('receipt.mark records each column of a message’s receipt, found by alert and by incident', async () => {
      expect(await h.store.outbox.receipt('A-1', 'alert')).toBeUndefined();
      stored(await h.events.append(withMarks(mark('A-1', 'sent', '2025-06-01T12:00:01.000Z', 'webpush,sms'))));
      stored(await h.events.append(withMarks(mark('A-1', 'delivered', '2025-06-01T12:00:02.000Z', 'webpush'))));
      stored(await h.events.append(withMarks(mark('A-1', 'seen', '2025-06-01T12:00:03.000Z'))));
      stored(await h.events.append(withMarks(mark('A-2', 'suppressed', '2025-06-01T12:00:04.000Z', 'off duty'))));
      const a1 = {
        alertId: 'A-1',
        message: 'alert',
        sentAt: '2025-06-01T12:00:01.000Z',
        sentVia: ['webpush', 'sms'],
        deliveredAt: '2025-06-01T12:00:02.000Z',
        deliveredVia: 'webpush',
        seenAt: '2025-06-01T12:00:03.000Z',
      };
      expect(await h.store.outbox.receipt('A-1', 'alert')).toEqual(a1);
      expect(await h.store.outbox.receipt('A-1', 'stand_down')).toBeUndefined();
      const a2 = { alertId: 'A-2', message: 'alert', suppressed: 'off duty' };
      expect(await h.store.outbox.receipt('A-2', 'alert')).toEqual(a2);
      const ofIncident = await h.store.outbox.receiptsOfIncident('I-1');
      expect([...ofIncident].sort((x, y) => (x.alertId < y.alertId ? -1 : 1))).toEqual([a1, a2]);
      expect(await h.store.outbox.receiptsOfIncident('I-404')).toEqual([]);
    });

    it('receipt.mark on a column already set refuses the whole request with RecordConflict: none of its events nor records are written', async () => {
      stored(await h.events.append(withMarks(mark('A-1', 'sent', '2025-06-01T12:00:01.000Z', 'webpush'))));
      const refused = await h.events.append(
        req([added('box-1', 'a'), added('box-2', 'b')], undefined, {
          idempotency: { key: 'k', fingerprint: 'f', result: 1 },
          records: [
            { type: 'user.add', user: user('U-1', 'ann') },
            mark('A-1', 'delivered', '2025-06-01T12:00:05.000Z', 'webpush'),
            mark('A-1', 'sent', '2025-06-01T12:00:05.000Z', 'sms'),
          ],
        }),
      );
      expect(refused).toMatchObject({ ok: false, code: 'RecordConflict' });
      expect(await h.events.headSeq()).toBe(1);
      expect(await h.events.load(['box-1', 'box-2'])).toEqual(new Map());
      expect(await h.events.idempotency('k')).toBeUndefined();
      expect(await h.store.accounts.userByName('ann')).toBeUndefined();
      expect(await h.store.outbox.receipt('A-1', 'alert')).toEqual({
        alertId: 'A-1',
        message: 'alert',
        sentAt: '2025-06-01T12:00:01.000Z',
        sentVia: ['webpush'],
      });
      // The log has no hole where the refused events would have been.
      expect(stored(await h.events.append(req([added('box-1', 'a')])))[0]?.seq).toBe(2);
    });

    it('a receipt refused on its first mark leaves no receipt behind', async () => {
      const refused = await h.events.append(
        withMarks(mark('A-1', 'seen', '2025-06-01T12:00:01.000Z'), mark('A-1', 'seen', '2025-06-01T12:00:02.000Z')),
      );
      expect(refused).toMatchObject({ ok: false, code: 'RecordConflict' });
      expect(await h.store.outbox.receipt('A-1', 'alert')).toBeUndefined();
      expect(await h.store.outbox.receiptsOfIncident('I-1')).toEqual([]);
    });

    it('a RecordConflict refuses its request alone: the other requests of a concurrent group commit', async () => {
      stored(await h.events.append(withMarks(mark('A-1', 'sent', '2025-06-01T12:00:01.000Z', 'webpush'))));
      const outcomes = await Promise.all([
        h.events.append(req([added('box-1', 'a')])),
        h.events.append(
          req([added('box-2', 'b')], undefined, { records: [mark('A-1', 'sent', '2025-06-01T12:00:02.000Z', 'sms')] }),
        ),
        h.events.append(
          req([added('box-3', 'c')], undefined, { records: [mark('A-1', 'delivered', '2025-06-01T12:00:03.000Z', 'webpush')] }),
        ),
      ]);
      expect(outcomes.map((o) => (o.ok ? o.events.map((e) => e.seq) : o.code))).toEqual([[2], 'RecordConflict', [3]]);
      expect((await readLog(h.events)).map((e) => e.stream)).toEqual(['rcpt-' + n, 'box-1', 'box-3']);
      expect(await h.store.outbox.receipt('A-1', 'alert')).toMatchObject({ sentVia: ['webpush'], deliveredVia: 'webpush' });
    });

    it('of two concurrent marks of the same receipt column, the first call wins and the other gets RecordConflict', async () => {
      const outcomes = await Promise.all([
        h.events.append(withMarks(mark('A-1', 'seen', '2025-06-01T12:00:01.000Z'))),
        h.events.append(withMarks(mark('A-1', 'seen', '2025-06-01T12:00:02.000Z'))),
      ]);
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'RecordConflict']);
      expect((await h.store.outbox.receipt('A-1', 'alert'))?.seenAt).toBe('2025-06-01T12:00:01.000Z');
      expect(await h.events.headSeq()).toBe(1);
    });
  });
}
