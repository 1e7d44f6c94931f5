import { describe, expect, it } from 'vitest';
import type { RecordWrite } from '../record-writes.ts';
import type { Harness } from './harness.ts';
import { added, boom, mentioned, readLog, req, stored } from './test-model.ts';
import { aed, message, profile, token, user } from './test-records.ts';

/** Record writes commit with the events of their request, or not at all. */
export function recordWriteRules(h: Harness): void {
  describe('record writes', () => {
    /** One write to every table, and the pending message `outbox.finish` closes. */
    const everyTable = async (): Promise<RecordWrite[]> => {
      await h.store.outbox.enqueue([message(1, 'V-1')], 1, 1000);
      const [queued] = await h.store.outbox.ofVolunteer('V-1');
      return [
        { type: 'user.add', user: user('U-1', 'ann') },
        { type: 'credential.add', token: token('T-1') },
        { type: 'profile.add', profiles: [profile('V-1')] },
        { type: 'aed.put', records: [aed('AED-1', 'Station')], at: '2025-06-01T12:00:00.000Z' },
        { type: 'outbox.finish', id: queued!.id, state: 'sent', attempts: 1, now: 2000, channels: ['webpush'] },
      ];
    };
    const expectNoneWritten = async () => {
      expect(await h.store.accounts.userByName('ann')).toBeUndefined();
      expect(await h.store.accounts.token('T-1')).toBeUndefined();
      expect(h.store.profiles.get('V-1')).toBeUndefined();
      expect(h.store.aeds.all()).toEqual([]);
      expect((await h.store.outbox.ofVolunteer('V-1')).map((m) => m.state)).toEqual(['pending']);
    };

    it('record writes commit with the events of their append: both are visible once it resolves', async () => {
      const records = await everyTable();
      const events = stored(await h.events.append(req([added('box-1', 'a')], undefined, { records })));
      expect(events).toHaveLength(1);
      expect(await h.store.accounts.userByName('ann')).toEqual(user('U-1', 'ann'));
      expect(await h.store.accounts.token('T-1')).toEqual(token('T-1'));
      expect(h.store.profiles.get('V-1')).toEqual(profile('V-1'));
      expect(h.store.aeds.all()).toEqual([aed('AED-1', 'Station')]);
      expect((await h.store.outbox.ofVolunteer('V-1')).map((m) => m.state)).toEqual(['sent']);
      expect(await h.events.headSeq()).toBe(1);
    });

    it('a request refused with VersionConflict writes none of its records', async () => {
      stored(await h.events.append(req([added('box-1', 'a')])));
      const records = await everyTable();
      expect(await h.events.append(req([added('box-1', 'b')], { 'box-1': 0 }, { records }))).toMatchObject({
        code: 'VersionConflict',
      });
      await expectNoneWritten();
    });

    it('a request answered IdempotencyKeyReplayed writes none of its records', async () => {
      stored(
        await h.events.append(req([added('box-1', 'a')], undefined, { idempotency: { key: 'k', fingerprint: 'f', result: 1 } })),
      );
      const records = await everyTable();
      const replayed = await h.events.append(
        req([added('box-2', 'b')], undefined, { records, idempotency: { key: 'k', fingerprint: 'f', result: 2 } }),
      );
      expect(replayed).toMatchObject({ code: 'IdempotencyKeyReplayed' });
      await expectNoneWritten();
    });

    it('a record write a table cannot take rejects the whole request: none of its events nor earlier records are written', async () => {
      stored(
        await h.events.append(
          req([added('box-0', 'x')], undefined, {
            records: [{ type: 'profile.add', profiles: [profile('V-8'), profile('V-9')] }],
          }),
        ),
      );
      const records: RecordWrite[] = [
        { type: 'user.add', user: user('U-1', 'ann') },
        { type: 'profile.erase', volunteerId: 'V-8' },
        { type: 'profile.add', profiles: [profile('V-1'), profile('V-9')] },
      ];
      await expect(h.events.append(req([added('box-1', 'a')], undefined, { records }))).rejects.toThrow();
      expect(await h.events.headSeq()).toBe(1);
      expect(await h.store.accounts.userByName('ann')).toBeUndefined();
      expect(h.store.profiles.get('V-1')).toBeUndefined();
      expect(h.store.profiles.get('V-8')).toEqual(profile('V-8'));
      expect(h.store.profiles.count()).toBe(2);
    });

    const failures = [
      { when: 'its projection throws', last: boom('box-3'), result: 1 as unknown },
      { when: 'its idempotency result cannot be stored, after its snapshots', last: added('box-3', 'z'), result: 1n as unknown },
    ];
    for (const { when, last, result } of failures)
      it(`a request that fails while being written (${when}) is rejected and leaves nothing: events, snapshots, timeline, records, key`, async () => {
        await h.store.outbox.enqueue([message(1, 'V-1'), message(2, 'V-1')], 2, 1000);
        const [a, b] = await h.store.outbox.ofVolunteer('V-1');
        stored(
          await h.events.append(
            req([added('box-1', 'a', 'I-1')], undefined, {
              records: [
                { type: 'user.add', user: user('U-1', 'ann') },
                { type: 'profile.add', profiles: [profile('V-1')] },
              ],
            }),
          ),
        );
        const before = { log: await readLog(h.events), snaps: await h.events.load(['box-1', 'tag-1', 'cat-1', 'box-2']) };
        const failing = h.events.append(
          req(
            [added('box-1', 'b', 'I-1'), added('cat-1', 'c', 'I-2'), mentioned('box-2', 'tag-1'), last],
            { 'box-1': 1 },
            {
              idempotency: { key: 'k', fingerprint: 'f', result },
              records: [
                { type: 'user.add', user: user('U-2', 'bob') },
                { type: 'user.setRole', userId: 'U-1', role: 'admin' },
                { type: 'profile.erase', volunteerId: 'V-1' },
                { type: 'credential.add', token: token('T-1') },
                { type: 'aed.put', records: [aed('AED-1', 'Station')], at: '2025-06-01T12:00:00.000Z' },
                { type: 'outbox.finish', id: a!.id, state: 'sent', attempts: 1, now: 1100 },
              ],
            },
          ),
        );
        await expect(failing).rejects.toThrow();
        expect(await readLog(h.events)).toEqual(before.log);
        expect(await h.events.load(['box-1', 'tag-1', 'cat-1', 'box-2'])).toEqual(before.snaps);
        expect(await h.events.list('cat')).toEqual([]);
        expect((await h.events.list('box')).map((s) => s.stream)).toEqual(['box-1']);
        expect((await h.events.readIncidentTimeline('I-1')).map((e) => e.seq)).toEqual([1]);
        expect(await h.events.readIncidentTimeline('I-2')).toEqual([]);
        expect(await h.events.idempotency('k')).toBeUndefined();
        expect(await h.store.accounts.userByName('bob')).toBeUndefined();
        expect((await h.store.accounts.userById('U-1'))?.role).toBe('dispatcher');
        expect(h.store.profiles.get('V-1')).toEqual(profile('V-1'));
        expect(await h.store.accounts.activeDevices('V-1', '2025-06-01T12:00:00.000Z')).toEqual(new Set());
        expect(h.store.aeds.all()).toEqual([]);
        expect((await h.store.outbox.due(1000, 10)).map((m) => m.id)).toEqual([a!.id, b!.id]);
        // The store goes on from where it was: the next seq, box-1's next version.
        expect(stored(await h.events.append(req([added('box-1', 'b')], { 'box-1': 1 })))[0]).toMatchObject({
          seq: 2,
          version: 2,
        });
        expect(await h.events.append(req([added('cat-1', 'c')], { 'cat-1': 0 }))).toMatchObject({ ok: true });
        expect((await h.events.list('cat')).map((s) => s.stream)).toEqual(['cat-1']);
        expect((await h.events.list('tag')).map((s) => s.stream)).toEqual([]);
        stored(
          await h.events.append(
            req([added('box-9', 'x')], undefined, {
              records: [
                { type: 'user.add', user: user('U-2', 'bob') },
                { type: 'credential.add', token: token('T-1') },
              ],
            }),
          ),
        );
        expect(await h.store.accounts.userByName('bob')).toMatchObject({ id: 'U-2' });
      });
  });
}
