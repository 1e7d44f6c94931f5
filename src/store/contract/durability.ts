import { describe, expect, it } from 'vitest';
import type { Projector } from '../event-store.ts';
import type { Harness } from './harness.ts';
import {
  type TestState,
  added,
  expectSnapshotsMatchLog,
  mentioned,
  readLog,
  req,
  statusSet,
  stored,
  testProjector,
} from './test-model.ts';
import { aed, mark, message, position, profile, token, user } from './test-records.ts';

/**
 * What a durable store keeps across close and reopen, and how it rebuilds snapshots from the log.
 * A store that keeps nothing once closed (`durable: false`, the memory store) has nothing to reopen:
 * these rules are skipped for it, and the reason is in the block's name.
 */
export function durabilityRules(h: Harness): void {
  describe.skipIf(!h.durable)(
    h.durable ? 'across close and reopen' : 'across close and reopen (skipped: the store is not durable)',
    () => {
      it('data survives close and reopen: log, head, versions, snapshots, timelines and idempotency', async () => {
        stored(
          await h.events.append(
            req([added('box-1', 'a', 'I-1'), added('tag-1', 't')], undefined, {
              actor: { kind: 'user', id: 'U-1' },
              requestId: 'r-1',
            }),
          ),
        );
        stored(
          await h.events.append(
            req([mentioned('box-2', 'tag-1')], undefined, { idempotency: { key: 'k', fingerprint: 'f', result: 1 } }),
          ),
        );
        const [log, snaps] = [await readLog(h.events), await h.events.load(['box-1', 'box-2', 'tag-1'])];
        await h.reopen();
        expect(await readLog(h.events)).toEqual(log);
        expect(log[0]).toMatchObject({ actor: { kind: 'user', id: 'U-1' }, requestId: 'r-1' });
        expect(await h.events.headSeq()).toBe(3);
        expect(await h.events.load(['box-1', 'box-2', 'tag-1'])).toEqual(snaps);
        expect(await h.events.readIncidentTimeline('I-1')).toEqual(log.slice(0, 1));
        expect(await h.events.idempotency('k')).toEqual({ fingerprint: 'f', result: 1 });
        expect(await h.events.append(req([added('box-1', 'b')], { 'box-1': 0 }))).toMatchObject({ code: 'VersionConflict' });
        expect(stored(await h.events.append(req([added('box-1', 'b')], { 'box-1': 1 })))[0]).toMatchObject({
          seq: 4,
          version: 2,
        });
      });

      it('the tables beside the log survive close and reopen with it', async () => {
        await h.store.outbox.enqueue([message(1, 'V-1')], 1, 1000, [position('A-1-V-1', 'V-1', 9000)]);
        const records = [
          { type: 'user.add', user: user('U-1', 'ann') },
          { type: 'credential.add', token: token('T-1') },
          { type: 'profile.add', profiles: [profile('V-1')] },
          { type: 'aed.put', records: [aed('AED-1', 'Station')], at: '2025-06-01T12:00:00.000Z' },
          mark('A-1-V-1', 'sent', '2025-06-01T12:00:01.000Z', 'webpush'),
        ] as const;
        stored(await h.events.append(req([added('box-1', 'a')], undefined, { records })));
        const queue = await h.store.outbox.ofVolunteer('V-1');
        await h.reopen();
        expect(await h.store.accounts.userByName('ann')).toEqual(user('U-1', 'ann'));
        expect(await h.store.accounts.activeDevices('V-1', '2025-06-01T12:00:00.000Z')).toEqual(new Set(['T-1']));
        expect(h.store.profiles.get('V-1')).toEqual(profile('V-1'));
        expect(h.store.aeds.all()).toEqual([aed('AED-1', 'Station')]);
        expect(await h.store.outbox.cursor()).toBe(1);
        expect(await h.store.outbox.ofVolunteer('V-1')).toEqual(queue);
        expect(await h.store.outbox.alertPositionCount()).toBe(1);
        expect(await h.store.outbox.receipt('A-1-V-1', 'alert')).toMatchObject({ sentVia: ['webpush'] });
      });

      /** A log with plain, status and alsoAffects events over several appends. */
      const fillLog = async () => {
        stored(await h.events.append(req([added('box-1', 'a', 'I-1'), added('tag-1', 't')])));
        stored(await h.events.append(req([statusSet('box-1', 'open'), mentioned('box-1', 'tag-1')], { 'box-1': 1 })));
        stored(await h.events.append(req([mentioned('box-2', 'tag-1'), statusSet('box-2', 'shut')])));
        await Promise.all([
          h.events.append(req([added('box-3', 'c')])),
          h.events.append(req([added('box-1', 'd')], { 'box-1': 3 })),
        ]);
        const streams = ['box-1', 'box-2', 'box-3', 'tag-1'];
        return {
          streams,
          snaps: await h.events.load(streams),
          open: await h.events.list('box', ['open']),
          boxes: await h.events.list('box'),
        };
      };

      it('snapshots are rebuilt from the log when they are missing', async () => {
        const before = await fillLog();
        await h.dropSnapshots();
        await h.reopen();
        expect(await h.events.load(before.streams)).toEqual(before.snaps);
        expect(await h.events.list('box', ['open'])).toEqual(before.open);
        expect(await h.events.list('box')).toEqual(before.boxes);
        await expectSnapshotsMatchLog(h.events);
      });

      it('the snapshot of a single stream is rebuilt from the log when it is missing', async () => {
        const before = await fillLog();
        await h.dropSnapshots(['tag-1']);
        await h.reopen();
        expect(await h.events.load(before.streams)).toEqual(before.snaps);
        await expectSnapshotsMatchLog(h.events);
      });

      it('snapshots are rebuilt from the log when the projector schemaVersion changes', async () => {
        const before = await fillLog();
        await h.reopen({ ...testProjector, schemaVersion: 2 });
        expect(await h.events.load(before.streams)).toEqual(before.snaps);
        // A new shape: items upper-cased. Every snapshot is folded again with the new projector.
        const upper: Projector<TestState> = {
          ...testProjector,
          schemaVersion: 3,
          evolve: (s, e, stream) => {
            const next = testProjector.evolve(s, e, stream);
            return next && { ...next, items: next.items.map((i) => i.toUpperCase()) };
          },
        };
        await h.reopen(upper);
        expect((await h.events.load(['box-1'])).get('box-1')?.state.items).toEqual(['A', 'D']);
        await expectSnapshotsMatchLog(h.events, upper);
        // New appends keep folding with the projector the store was opened with.
        stored(await h.events.append(req([added('box-1', 'e')], { 'box-1': 4 })));
        expect((await h.events.load(['box-1'])).get('box-1')?.state.items).toEqual(['A', 'D', 'E']);
      });
    },
  );
}
