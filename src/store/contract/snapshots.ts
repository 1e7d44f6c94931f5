import { describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import {
  type TestData,
  type TestState,
  added,
  expectSnapshotsMatchLog,
  mentioned,
  readLog,
  req,
  statusSet,
  stored,
} from './test-model.ts';

/** Changes a value the store gave out; a frozen one refuses (TypeError), which protects the store as well as a copy. */
export function tryToChange(change: () => unknown): void {
  try {
    change();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
}

/** The snapshots folded in the append, and what `load` and `list` give back. */
export function snapshotRules(h: Harness): void {
  describe('snapshots', () => {
    it('snapshots reflect every appended event, including streams named by alsoAffects', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('tag-1', 't')])));
      stored(await h.events.append(req([statusSet('box-1', 'open'), mentioned('box-1', 'tag-1')], { 'box-1': 1 })));
      stored(await h.events.append(req([mentioned('box-2', 'tag-1'), added('box-2', 'b')])));
      const snaps = await h.events.load(['box-1', 'box-2', 'tag-1']);
      expect(snaps.get('box-1')).toEqual({
        stream: 'box-1',
        version: 3,
        state: { stream: 'box-1', status: 'open', items: ['a'], mentionedBy: [] },
      });
      // A stream reached through alsoAffects changes state but keeps its own version.
      expect(snaps.get('tag-1')).toEqual({
        stream: 'tag-1',
        version: 1,
        state: { stream: 'tag-1', status: 'new', items: ['t'], mentionedBy: ['box-1', 'box-2'] },
      });
      await expectSnapshotsMatchLog(h.events);
    });

    it('a stream reached only through alsoAffects has a snapshot at version 0 until its own first event, which expects 0', async () => {
      stored(await h.events.append(req([mentioned('box-1', 'tag-9')])));
      expect((await h.events.load(['tag-9'])).get('tag-9')).toEqual({
        stream: 'tag-9',
        version: 0,
        state: { stream: 'tag-9', status: 'new', items: [], mentionedBy: ['box-1'] },
      });
      expect(await h.events.append(req([added('tag-9', 'x')], { 'tag-9': 1 }))).toMatchObject({
        code: 'VersionConflict',
        details: { stream: 'tag-9', expected: 1, actual: 0 },
      });
      const [own] = stored(await h.events.append(req([added('tag-9', 'x')], { 'tag-9': 0 })));
      expect(own?.version).toBe(1);
      expect((await h.events.load(['tag-9'])).get('tag-9')).toEqual({
        stream: 'tag-9',
        version: 1,
        state: { stream: 'tag-9', status: 'new', items: ['x'], mentionedBy: ['box-1'] },
      });
      await expectSnapshotsMatchLog(h.events);
    });

    it('load returns the snapshots of the streams that exist, and no others', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('box-2', 'b')])));
      const snaps = await h.events.load(['box-2', 'box-404']);
      expect([...snaps.keys()]).toEqual(['box-2']);
      expect(snaps.get('box-2')?.state.items).toEqual(['b']);
      expect(await h.events.load([])).toEqual(new Map());
    });

    it('list returns the snapshots of a kind, filtered by status, at most limit', async () => {
      stored(await h.events.append(req([added('box-1', 'a'), added('box-2', 'b'), added('box-3', 'c'), added('tag-1', 't')])));
      stored(await h.events.append(req([statusSet('box-1', 'open'), statusSet('box-2', 'shut')], { 'box-1': 1, 'box-2': 1 })));
      const streams = (states: readonly TestState[]) => states.map((s) => s.stream).sort();
      expect(streams(await h.events.list('box'))).toEqual(['box-1', 'box-2', 'box-3']);
      expect(streams(await h.events.list('box', ['open']))).toEqual(['box-1']);
      expect(streams(await h.events.list('box', ['open', 'new']))).toEqual(['box-1', 'box-3']);
      expect(streams(await h.events.list('box', []))).toEqual(['box-1', 'box-2', 'box-3']);
      expect(streams(await h.events.list('tag'))).toEqual(['tag-1']);
      expect(await h.events.list('box', ['gone'])).toEqual([]);
      expect(await h.events.list('nope')).toEqual([]);
      expect(await h.events.list('box', undefined, 2)).toHaveLength(2);
      expect((await h.events.list('box', undefined, 1))[0]).toEqual((await h.events.load(['box-1'])).get('box-1')?.state);
    });

    it('list answers in the order the streams got their first snapshot, whatever changed since', async () => {
      stored(await h.events.append(req([added('box-3', 'c')])));
      stored(await h.events.append(req([added('box-1', 'a'), mentioned('box-1', 'box-2')])));
      stored(await h.events.append(req([added('box-2', 'b'), statusSet('box-3', 'open')], { 'box-2': 0, 'box-3': 1 })));
      stored(await h.events.append(req([added('box-4', 'd')])));
      expect((await h.events.list('box')).map((s) => s.stream)).toEqual(['box-3', 'box-1', 'box-2', 'box-4']);
      expect((await h.events.list('box', ['new'], 2)).map((s) => s.stream)).toEqual(['box-1', 'box-2']);
    });

    it('a caller cannot change what is stored through what it appended or read (each is a copy, or frozen)', async () => {
      const pending = added('box-1', 'a', 'I-1');
      const [appended] = stored(await h.events.append(req([pending, mentioned('box-2', 'box-1')])));
      tryToChange(() => ((pending.data as TestData).item = 'changed by the caller'));
      tryToChange(() => ((appended?.data as TestData).item = 'changed through the outcome'));
      const [read] = await h.events.readAfter(0, 1);
      tryToChange(() => ((read?.data as TestData).item = 'changed through readAfter'));
      const [inTimeline] = await h.events.readIncidentTimeline('I-1');
      tryToChange(() => ((inTimeline?.data as TestData).item = 'changed through the timeline'));
      const loaded = (await h.events.load(['box-1'])).get('box-1')!;
      tryToChange(() => (loaded.state.items as string[]).push('pushed through load'));
      const [listed] = await h.events.list('box');
      tryToChange(() => (listed?.mentionedBy as string[]).push('pushed through list'));

      expect(((await readLog(h.events))[0]?.data as TestData).item).toBe('a');
      expect(((await h.events.readIncidentTimeline('I-1'))[0]?.data as TestData).item).toBe('a');
      expect((await h.events.load(['box-1'])).get('box-1')?.state).toEqual({
        stream: 'box-1',
        status: 'new',
        items: ['a'],
        mentionedBy: ['box-2'],
      });
      await expectSnapshotsMatchLog(h.events);
    });
  });
}
