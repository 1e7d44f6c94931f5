import { describe, expect, it } from 'vitest';
import { OUTBOX_LEASE_MS } from '../outbox-store.ts';
import type { Harness } from './harness.ts';
import { tryToChange } from './snapshots.ts';
import { added, req, stored } from './test-model.ts';
import { message, position } from './test-records.ts';

/**
 * The delivery queue and the alert-position audit. A store may lease what `due()` returns (see
 * OutboxStore) or not: each rule asks `due()` again only once an earlier call's lease has ended,
 * and asks `nextDueAt()` while nothing is leased, except the rules about leases themselves.
 */
export function outboxRules(h: Harness): void {
  const LEASE = OUTBOX_LEASE_MS;
  describe('delivery queue', () => {
    const ids = async (volunteerId: string) => (await h.store.outbox.ofVolunteer(volunteerId)).map((m) => m.id);

    it('enqueue adds pending messages due now, moves the cursor and records alert positions, and says how many it added', async () => {
      expect(await h.store.outbox.cursor()).toBeUndefined();
      expect(await h.store.outbox.nextDueAt()).toBeUndefined();
      const added = await h.store.outbox.enqueue([message(3, 'V-1'), message(3, 'V-2')], 3, 1000, [
        position('A-3-V-1', 'V-1', 9000),
      ]);
      expect(added).toBe(2);
      expect(await h.store.outbox.cursor()).toBe(3);
      expect(await h.store.outbox.nextDueAt()).toBe(1000);
      const due = await h.store.outbox.due(1000, 10);
      expect(due).toEqual([
        { id: expect.any(Number), ...message(3, 'V-1'), attempts: 0, createdAt: 1000 },
        { id: expect.any(Number), ...message(3, 'V-2'), attempts: 0, createdAt: 1000 },
      ]);
      expect(due[0]!.id).toBeLessThan(due[1]!.id);
      expect(await h.store.outbox.get(due[0]!.id)).toEqual({ ...due[0], state: 'pending' });
      expect(await h.store.outbox.get(-1)).toBeUndefined();
      expect(await h.store.outbox.alertPosition('A-3-V-1')).toEqual({
        lat: 46.9481,
        lon: 7.4474,
        fixAt: '2025-06-01T11:59:00.000Z',
      });
      expect(await h.store.outbox.alertPositionCount()).toBe(1);
    });

    it('a message already made from the same seq for the same volunteer is not added twice; the cursor still moves', async () => {
      expect(await h.store.outbox.enqueue([message(3, 'V-1')], 3, 1000)).toBe(1);
      const again = await h.store.outbox.enqueue(
        [message(3, 'V-1', { body: { text: 'again' } }), message(3, 'V-2'), message(4, 'V-1')],
        4,
        2000,
      );
      expect(again).toBe(2);
      expect(await h.store.outbox.cursor()).toBe(4);
      expect((await h.store.outbox.ofVolunteer('V-1')).map((m) => [m.seq, m.body, m.createdAt])).toEqual([
        [3, message(3, 'V-1').body, 1000],
        [4, message(4, 'V-1').body, 2000],
      ]);
      expect(await h.store.outbox.enqueue([], 5, 3000)).toBe(0);
      expect(await h.store.outbox.cursor()).toBe(5);
    });

    it('due returns pending messages due at now, oldest first, at most limit; nextDueAt is the earliest pending due time', async () => {
      // Each due() after the last one's lease has ended: T, T + LEASE, …
      const later = 1000 + 2 * LEASE;
      await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-2'), message(3, 'V-3')], 3, 1000);
      await h.store.outbox.enqueue([message(4, 'V-4')], 4, later);
      expect(await h.store.outbox.nextDueAt()).toBe(1000);
      expect((await h.store.outbox.due(999, 10)).map((m) => m.seq)).toEqual([]);
      expect((await h.store.outbox.due(1500, 2)).map((m) => m.seq)).toEqual([1, 2]);
      expect((await h.store.outbox.due(1500 + LEASE, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
      expect((await h.store.outbox.due(later + LEASE, 10)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      const [first, second, third, fourth] = [
        ...(await ids('V-1')),
        ...(await ids('V-2')),
        ...(await ids('V-3')),
        ...(await ids('V-4')),
      ];
      const retryAt = later + 10 * LEASE;
      await h.store.outbox.retry(first!, 1, retryAt, 'timeout');
      await h.store.outbox.finish(second!, 'skipped', 0, 1500);
      await h.store.outbox.finish(third!, 'undelivered', 5, 1500, 'gave up');
      expect((await h.store.outbox.due(later + 2 * LEASE, 10)).map((m) => m.id)).toEqual([fourth]);
      await h.store.outbox.finish(fourth!, 'skipped', 0, later + 2 * LEASE);
      expect(await h.store.outbox.nextDueAt()).toBe(retryAt);
      expect((await h.store.outbox.due(retryAt, 10)).map((m) => [m.id, m.attempts])).toEqual([[first, 1]]);
    });

    it('retry puts a pending message back with its attempts and due time; a finished message is not retried', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-1')], 2, 1000);
      const [a, b] = await ids('V-1');
      await h.store.outbox.retry(a!, 2, 4000, 'no route');
      expect(await h.store.outbox.get(a!)).toMatchObject({ state: 'pending', attempts: 2, body: message(1, 'V-1').body });
      expect((await h.store.outbox.due(3999, 10)).map((m) => m.id)).toEqual([b]);
      await h.store.outbox.finish(b!, 'suppressed', 1, 1500);
      await h.store.outbox.retry(b!, 9, 1000, 'too late');
      expect(await h.store.outbox.get(b!)).toMatchObject({ state: 'suppressed', attempts: 1 });
      expect((await h.store.outbox.due(9999, 10)).map((m) => m.id)).toEqual([a]);
    });

    it('finish closes a pending message with its state and attempts and drops its payload; a finished message stays as it is', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1')], 1, 1000);
      const [id] = await ids('V-1');
      await h.store.outbox.finish(id!, 'skipped', 0, 1200);
      const done = await h.store.outbox.get(id!);
      expect(done).toEqual({ id, ...message(1, 'V-1'), body: {}, attempts: 0, createdAt: 1000, state: 'skipped' });
      await h.store.outbox.finish(id!, 'sent', 3, 1300, 'late');
      expect(await h.store.outbox.get(id!)).toEqual(done);
      expect(await h.store.outbox.due(9999, 10)).toEqual([]);
      expect(await h.store.outbox.nextDueAt()).toBeUndefined();
    });

    it('outbox.finish closes a message with the events of its append: state, attempts, channels, no payload', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-1')], 2, 1000);
      const [a, b] = await ids('V-1');
      stored(
        await h.events.append(
          req([added('box-1', 'sent')], undefined, {
            records: [{ type: 'outbox.finish', id: a!, state: 'sent', attempts: 1, now: 1100, channels: ['webpush', 'sms'] }],
          }),
        ),
      );
      expect(await h.store.outbox.get(a!)).toEqual({
        id: a,
        ...message(1, 'V-1'),
        body: {},
        attempts: 1,
        createdAt: 1000,
        state: 'sent',
        channels: 'webpush,sms',
      });
      // Refused with its events: the message stays pending, payload and all.
      const refused = await h.events.append(
        req(
          [added('box-1', 'again')],
          { 'box-1': 0 },
          { records: [{ type: 'outbox.finish', id: b!, state: 'sent', attempts: 1, now: 1100, channels: ['sms'] }] },
        ),
      );
      expect(refused).toMatchObject({ code: 'VersionConflict' });
      expect(await h.store.outbox.get(b!)).toMatchObject({ state: 'pending', body: message(2, 'V-1').body, attempts: 0 });
      expect(await h.store.outbox.get(b!)).not.toHaveProperty('channels');
      // A message already closed stays as it is.
      stored(
        await h.events.append(
          req([added('box-2', 'x')], undefined, {
            records: [{ type: 'outbox.finish', id: a!, state: 'undelivered', attempts: 9, now: 1200 }],
          }),
        ),
      );
      expect(await h.store.outbox.get(a!)).toMatchObject({ state: 'sent', attempts: 1, channels: 'webpush,sms' });
    });

    it('ofVolunteer returns every message to one volunteer, finished or not, in queue order', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1'), message(1, 'V-2'), message(2, 'V-1')], 2, 1000);
      await h.store.outbox.enqueue([message(3, 'V-1', { kind: 'stand_down' })], 3, 2000);
      const [first] = await ids('V-1');
      await h.store.outbox.finish(first!, 'sent', 1, 1100);
      expect((await h.store.outbox.ofVolunteer('V-1')).map((m) => [m.seq, m.kind, m.state])).toEqual([
        [1, 'alert', 'sent'],
        [2, 'alert', 'pending'],
        [3, 'stand_down', 'pending'],
      ]);
      const all = await h.store.outbox.ofVolunteer('V-1');
      expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((x, y) => x - y));
      expect((await h.store.outbox.ofVolunteer('V-2')).map((m) => m.seq)).toEqual([1]);
      expect(await h.store.outbox.ofVolunteer('V-404')).toEqual([]);
    });

    it('hurry makes a volunteer’s pending messages due now and says how many; others and finished ones are untouched', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-1'), message(3, 'V-1'), message(1, 'V-2')], 3, 1000);
      const [a, b, c] = await ids('V-1');
      const [other] = await ids('V-2');
      await h.store.outbox.retry(a!, 1, 9000, 'offline');
      await h.store.outbox.retry(b!, 1, 9000, 'offline');
      await h.store.outbox.retry(c!, 1, 9000, 'offline');
      await h.store.outbox.finish(c!, 'sent', 1, 1100);
      await h.store.outbox.retry(other!, 1, 9000, 'offline');
      expect(await h.store.outbox.hurry('V-1', 3000)).toBe(2);
      expect(await h.store.outbox.nextDueAt()).toBe(3000);
      expect((await h.store.outbox.due(3000, 10)).map((m) => m.id)).toEqual([a, b]);
      expect(await h.store.outbox.get(c!)).toMatchObject({ state: 'sent' });
      expect(await h.store.outbox.hurry('V-1', 3000)).toBe(0);
      await h.store.outbox.finish(a!, 'sent', 2, 3000);
      await h.store.outbox.finish(b!, 'sent', 2, 3000);
      expect(await h.store.outbox.nextDueAt()).toBe(9000);
    });

    it('a message due() returned and neither finished nor retried is due again once its lease has ended, and nextDueAt is no later', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-2')], 2, 1000);
      const taken = await h.store.outbox.due(1000, 10);
      expect(taken.map((m) => m.seq)).toEqual([1, 2]);
      const next = await h.store.outbox.nextDueAt();
      expect(next).toBeGreaterThanOrEqual(1000);
      expect(next).toBeLessThanOrEqual(1000 + LEASE);
      // Its worker stopped before sending it: the message is not lost.
      expect(await h.store.outbox.due(1000 + LEASE, 10)).toEqual(taken);
      expect(await h.store.outbox.get(taken[0]!.id)).toMatchObject({ state: 'pending', attempts: 0 });
    });

    it('retry and finish end the lease due() took: a retried message is due at its new time, a finished one not at all', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-2')], 2, 1000);
      const [a, b] = await h.store.outbox.due(1000, 10);
      await h.store.outbox.retry(a!.id, 1, 1500, 'no route');
      await h.store.outbox.finish(b!.id, 'sent', 1, 1200);
      expect(await h.store.outbox.nextDueAt()).toBe(1500);
      expect((await h.store.outbox.due(1500, 10)).map((m) => [m.id, m.attempts])).toEqual([[a!.id, 1]]);
      await h.store.outbox.retry(a!.id, 2, 1600, 'no route');
      expect(await h.store.outbox.hurry('V-1', 1550)).toBe(1);
      expect((await h.store.outbox.due(1550, 10)).map((m) => [m.id, m.attempts])).toEqual([[a!.id, 2]]);
    });

    it('a caller cannot change a queued message’s body through what it read', async () => {
      await h.store.outbox.enqueue([message(1, 'V-1')], 1, 1000);
      const [m] = await h.store.outbox.due(1000, 1);
      tryToChange(() => ((m!.body as Record<string, unknown>)['text'] = 'changed'));
      expect((await h.store.outbox.get(m!.id))?.body).toEqual(message(1, 'V-1').body);
    });
  });

  describe('alert positions', () => {
    it('an alert position is recorded once per alert: a second one for the same alert is not kept', async () => {
      await h.store.outbox.enqueue([], 1, 1000, [position('A-1', 'V-1', 9000)]);
      await h.store.outbox.enqueue([], 2, 1000, [position('A-1', 'V-1', 9000, { position: { lat: 1, lon: 2, fixAt: 'x' } })]);
      expect(await h.store.outbox.alertPositionCount()).toBe(1);
      expect(await h.store.outbox.alertPosition('A-1')).toEqual({ lat: 46.9481, lon: 7.4474, fixAt: '2025-06-01T11:59:00.000Z' });
    });

    it('an alert position without a fix is counted but has no position', async () => {
      const { position: _none, ...noFix } = position('A-1', 'V-1', 9000);
      await h.store.outbox.enqueue([], 1, 1000, [noFix]);
      expect(await h.store.outbox.alertPositionCount()).toBe(1);
      expect(await h.store.outbox.alertPosition('A-1')).toBeUndefined();
      expect(await h.store.outbox.alertPosition('A-404')).toBeUndefined();
    });

    it('purgeAlertPositions deletes the positions whose retention ended by now and says how many', async () => {
      await h.store.outbox.enqueue([], 1, 1000, [
        position('A-1', 'V-1', 5000),
        position('A-2', 'V-2', 9000),
        position('A-3', 'V-3', 5000),
      ]);
      expect(await h.store.outbox.purgeAlertPositions(4999)).toBe(0);
      expect(await h.store.outbox.purgeAlertPositions(5000)).toBe(2);
      expect(await h.store.outbox.alertPositionCount()).toBe(1);
      expect(await h.store.outbox.alertPosition('A-1')).toBeUndefined();
      expect(await h.store.outbox.alertPosition('A-2')).toBeDefined();
      expect(await h.store.outbox.purgeAlertPositions(5000)).toBe(0);
    });

    it('anonymiseAlertPositions erases a volunteer’s positions and ids but keeps the rows, and says how many', async () => {
      await h.store.outbox.enqueue([], 1, 1000, [
        position('A-1', 'V-1', 9000),
        position('A-2', 'V-1', 9000),
        position('A-3', 'V-2', 9000),
      ]);
      expect(await h.store.outbox.anonymiseAlertPositions('V-1')).toBe(2);
      expect(await h.store.outbox.alertPositionCount()).toBe(3);
      expect(await h.store.outbox.alertPosition('A-1')).toBeUndefined();
      expect(await h.store.outbox.alertPosition('A-2')).toBeUndefined();
      expect(await h.store.outbox.alertPosition('A-3')).toBeDefined();
      expect(await h.store.outbox.anonymiseAlertPositions('V-1')).toBe(0);
      // The erased rows are still purged when their retention ends.
      expect(await h.store.outbox.purgeAlertPositions(9000)).toBe(3);
    });

    it('each follower of the log has a cursor of its own, apart from the queue’s, moved only by its own name', async () => {
      expect(await h.store.outbox.followerCursor('webhook:a')).toBeUndefined();
      await h.store.outbox.moveFollowerCursor('webhook:a', 7);
      await h.store.outbox.moveFollowerCursor('webhook:b', 3);
      await h.store.outbox.moveFollowerCursor('webhook:a', 9);
      expect(await h.store.outbox.followerCursor('webhook:a')).toBe(9);
      expect(await h.store.outbox.followerCursor('webhook:b')).toBe(3);
      expect(await h.store.outbox.cursor()).toBeUndefined();
      await h.store.outbox.enqueue([], 5, 1000);
      expect(await h.store.outbox.followerCursor('webhook:a')).toBe(9);
    });
  });
}
