import { describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { AT, type TestData, added, readLog, req, statusSet, stored, expectSnapshotsMatchLog } from './test-model.ts';

/** Appending and reading the log: seq, versions, the envelope, expected versions. */
export function eventLogRules(h: Harness): void {
  describe('the log', () => {
    it('an empty store has headSeq 0 and an empty log', async () => {
      expect(await h.events.headSeq()).toBe(0);
      expect(await h.events.readAfter(0, 100)).toEqual([]);
      expect(await h.events.load(['box-1'])).toEqual(new Map());
      expect(await h.events.list('box')).toEqual([]);
    });

    it('append assigns consecutive global seq from 1 and per-stream versions from 1', async () => {
      const a = stored(await h.events.append(req([added('box-1', 'a'), added('box-1', 'b'), added('box-2', 'c')])));
      expect(a.map((e) => [e.seq, e.stream, e.version])).toEqual([
        [1, 'box-1', 1],
        [2, 'box-1', 2],
        [3, 'box-2', 1],
      ]);
      const b = stored(await h.events.append(req([added('box-2', 'd'), added('box-3', 'e')], { 'box-2': 1, 'box-3': 0 })));
      expect(b.map((e) => [e.seq, e.stream, e.version])).toEqual([
        [4, 'box-2', 2],
        [5, 'box-3', 1],
      ]);
      expect(await h.events.headSeq()).toBe(5);
    });

    it('one append may write several streams: its events are stored in the order given, each at its stream’s next version', async () => {
      stored(await h.events.append(req([added('box-2', 'x')])));
      const events = stored(
        await h.events.append(
          req([added('box-1', 'a'), added('box-2', 'b'), added('box-1', 'c'), added('box-3', 'd')], {
            'box-1': 0,
            'box-2': 1,
            'box-3': 0,
          }),
        ),
      );
      expect(events.map((e) => [e.seq, e.stream, e.version])).toEqual([
        [2, 'box-1', 1],
        [3, 'box-2', 2],
        [4, 'box-1', 2],
        [5, 'box-3', 1],
      ]);
      expect((await readLog(h.events)).slice(1)).toEqual(events);
      await expectSnapshotsMatchLog(h.events);
    });

    it('stored events round-trip type, data and at, and carry recordedAt and v', async () => {
      const [e] = stored(await h.events.append(req([added('box-1', 'a', 'I-1')])));
      const [read] = await h.events.readAfter(0, 1);
      expect(read).toEqual(e);
      expect(read).toMatchObject({ type: 'Added', stream: 'box-1', at: AT, data: { item: 'a', incidentId: 'I-1' } });
      expect(Number.isNaN(Date.parse(read?.recordedAt ?? ''))).toBe(false);
      expect(Number.isInteger(read?.v)).toBe(true);
    });

    it('every event of a request carries its actor and requestId, as appended and as read back', async () => {
      const actor = { kind: 'user', id: 'U-7' } as const;
      const events = stored(
        await h.events.append(req([added('box-1', 'a'), added('box-2', 'b')], undefined, { actor, requestId: 'req-42' })),
      );
      const log = await readLog(h.events);
      expect(log).toEqual(events);
      for (const e of [...events, ...log]) {
        expect(e.actor).toEqual(actor);
        expect(e.requestId).toBe('req-42');
      }
    });

    it('an event appended without a requestId has none: the actor alone', async () => {
      const device = { kind: 'device', id: 'T-3' } as const;
      const [e] = stored(await h.events.append(req([added('box-1', 'a')], undefined, { actor: device })));
      const [read] = await h.events.readAfter(0, 1);
      for (const x of [e, read]) {
        expect(x?.actor).toEqual(device);
        expect(x && Object.keys(x)).not.toContain('requestId');
      }
    });

    it('readAfter pages in seq order: events with seq > after, at most limit', async () => {
      for (let i = 1; i <= 10; i++) stored(await h.events.append(req([added(`box-${i}`, `x${i}`)])));
      expect((await h.events.readAfter(0, 3)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await h.events.readAfter(3, 4)).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
      expect((await h.events.readAfter(8, 100)).map((e) => e.seq)).toEqual([9, 10]);
      expect(await h.events.readAfter(10, 100)).toEqual([]);
      expect((await readLog(h.events)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('headSeq is the seq of the last stored event', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('box-2', 'b')])));
      expect(await h.events.headSeq()).toBe(2);
      stored(await h.events.append(req([added('box-1', 'c')], { 'box-1': 1 })));
      expect(await h.events.headSeq()).toBe(3);
    });

    it('an expected-version mismatch returns VersionConflict and writes nothing', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('box-1', 'b')])));
      const outcome = await h.events.append(req([added('box-1', 'c')], { 'box-1': 1 }));
      expect(outcome).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-1', expected: 1, actual: 2 } });
      expect(await h.events.headSeq()).toBe(2);
      expect((await h.events.load(['box-1'])).get('box-1')).toMatchObject({ version: 2, state: { items: ['a', 'b'] } });
    });

    it('a multi-stream append where one stream conflicts writes none of its events (atomic)', async () => {
      stored(await h.events.append(req([added('box-2', 'x')])));
      const outcome = await h.events.append(req([added('box-1', 'a'), added('box-2', 'b'), added('box-3', 'c')]));
      expect(outcome).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-2', expected: 0, actual: 1 } });
      expect((await readLog(h.events)).map((e) => e.stream)).toEqual(['box-2']);
      expect([...(await h.events.load(['box-1', 'box-2', 'box-3'])).keys()]).toEqual(['box-2']);
      // The log has no hole where the refused events would have been.
      expect(stored(await h.events.append(req([added('box-1', 'a')])))[0]?.seq).toBe(2);
    });

    it('a stream expected at version 0 that already exists conflicts', async () => {
      stored(await h.events.append(req([added('box-1', 'a')])));
      const outcome = await h.events.append(req([added('box-1', 'again')]));
      expect(outcome).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-1', expected: 0, actual: 1 } });
      expect(await h.events.headSeq()).toBe(1);
    });

    it('a stream named in expected but not written is still checked: the decision read it', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('box-9', 'z')])));
      const stale = await h.events.append(req([added('box-2', 'b')], { 'box-2': 0, 'box-9': 0 }));
      expect(stale).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-9', expected: 0, actual: 1 } });
      expect(await h.events.headSeq()).toBe(2);
      const fresh = stored(await h.events.append(req([added('box-2', 'b')], { 'box-2': 0, 'box-9': 1 })));
      expect(fresh.map((e) => [e.stream, e.version])).toEqual([['box-2', 1]]);
      expect((await h.events.load(['box-9'])).get('box-9')?.version).toBe(1);
    });

    it('an event of a stream not named in expected is appended at that stream’s next version, unchecked', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('box-1', 'b')])));
      const events = stored(await h.events.append(req([added('box-2', 'c'), added('box-1', 'd')], { 'box-2': 0 })));
      expect(events.map((e) => [e.stream, e.version])).toEqual([
        ['box-2', 1],
        ['box-1', 3],
      ]);
      expect((await h.events.load(['box-1'])).get('box-1')).toMatchObject({ version: 3, state: { items: ['a', 'b', 'd'] } });
    });

    it('readIncidentTimeline returns the events whose data.incidentId matches, in seq order', async () => {
      stored(await h.events.append(req([added('box-1', 'a', 'I-1'), added('box-2', 'b', 'I-2')])));
      stored(await h.events.append(req([added('box-3', 'c'), added('box-4', 'd', 'I-1')])));
      stored(await h.events.append(req([added('box-1', 'e', 'I-1')], { 'box-1': 1 })));
      const timeline = await h.events.readIncidentTimeline('I-1');
      expect(timeline.map((e) => [e.seq, e.stream, (e.data as TestData).item])).toEqual([
        [1, 'box-1', 'a'],
        [4, 'box-4', 'd'],
        [5, 'box-1', 'e'],
      ]);
      expect(timeline).toEqual((await readLog(h.events)).filter((e) => (e.data as TestData).incidentId === 'I-1'));
      expect(await h.events.readIncidentTimeline('I-404')).toEqual([]);
    });

    it('a refused append leaves nothing in an incident’s timeline', async () => {
      stored(await h.events.append(req([added('box-1', 'a', 'I-1')])));
      expect(await h.events.append(req([added('box-2', 'b', 'I-1'), statusSet('box-1', 'x')]))).toMatchObject({
        code: 'VersionConflict',
      });
      expect((await h.events.readIncidentTimeline('I-1')).map((e) => e.seq)).toEqual([1]);
    });

    it('an append made before close is committed before the store closes, not dropped', async () => {
      const pending = h.events.append(req([added('box-1', 'a')]));
      await h.close();
      expect(await pending).toMatchObject({ ok: true });
      // Only a durable store can show it is still there.
      if (h.durable) {
        await h.reopen();
        expect((await readLog(h.events)).map((e) => e.stream)).toEqual(['box-1']);
      }
    });

    it('once the store is closed, an append is refused, not lost silently', async () => {
      await h.close();
      await expect(h.events.append(req([added('box-1', 'a')]))).rejects.toThrow();
    });
  });
}
