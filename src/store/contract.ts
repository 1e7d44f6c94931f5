import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PendingEvent, StoredEvent } from '../core/events.ts';
import type { AppendOutcome, AppendRequest, EventStore, Projector } from './event-store.ts';

/**
 * The behaviour every EventStore must have, whatever holds the log (SQLite, PostgreSQL, ...).
 * An implementation runs it with `describeEventStoreContract('MyStore', (dir, projector) => ...)`.
 * Each test is named after the rule it holds.
 */

/** The test read model: one per stream, folded by `testProjector`. */
export interface TestState {
  readonly stream: string;
  readonly status: string;
  readonly items: readonly string[];
  /** Streams whose `Mentioned` events named this one (reached through `alsoAffects`). */
  readonly mentionedBy: readonly string[];
}

type TestData = { item?: string; status?: string; target?: string; incidentId?: string };

/** Kinds are the stream prefix: `box-1` is a box, `tag-7` a tag. */
const kindOf = (stream: string) => stream.slice(0, stream.indexOf('-'));

export const testProjector: Projector<TestState> = {
  schemaVersion: 1,
  evolve(state, event, stream) {
    const s = state ?? { stream, status: 'new', items: [], mentionedBy: [] };
    const data = event.data as TestData;
    if (stream !== event.stream) return { ...s, mentionedBy: [...s.mentionedBy, event.stream] };
    switch (event.type as string) {
      case 'Added':
        return { ...s, items: [...s.items, data.item ?? ''] };
      case 'StatusSet':
        return { ...s, status: data.status ?? s.status };
      default:
        return s;
    }
  },
  alsoAffects: (event) => {
    const target = (event.data as TestData).target;
    return (event.type as string) === 'Mentioned' && target !== undefined ? [target] : [];
  },
  kindOf,
  statusOf: (state) => state.status,
};

const AT = '2025-06-01T12:00:00.000Z';
const ev = (stream: string, type: 'Added' | 'StatusSet' | 'Mentioned', data: TestData): PendingEvent =>
  ({ stream, type, at: AT, data }) as unknown as PendingEvent;
export const added = (stream: string, item: string, incidentId?: string) =>
  ev(stream, 'Added', incidentId === undefined ? { item } : { item, incidentId });
export const statusSet = (stream: string, status: string) => ev(stream, 'StatusSet', { status });
export const mentioned = (stream: string, target: string) => ev(stream, 'Mentioned', { target });

/** A request that expects each stream at the version given, or 0 for every stream of its events. */
const req = (events: PendingEvent[], expected?: Record<string, number>): AppendRequest => ({
  expected: new Map(Object.entries(expected ?? Object.fromEntries(events.map((e) => [e.stream, 0])))),
  events,
});

function stored(outcome: AppendOutcome): readonly StoredEvent[] {
  if (!outcome.ok) throw new Error(`append failed: ${outcome.code} ${outcome.message}`);
  return outcome.events;
}

/** Reads the whole log in small pages, as a client would. */
async function readLog(store: EventStore<TestState>): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAfter(all.at(-1)?.seq ?? 0, 7);
    if (page.length === 0) return all;
    all.push(...page);
  }
}

/** What the snapshots must be: the log folded from scratch by `projector`, with each stream's own version. */
async function foldLog(store: EventStore<TestState>, projector: Projector<TestState>) {
  const out = new Map<string, { version: number; state: TestState | undefined }>();
  for (const e of await readLog(store)) {
    for (const stream of [e.stream, ...projector.alsoAffects(e)]) {
      const t = out.get(stream) ?? { version: 0, state: undefined };
      out.set(stream, { version: stream === e.stream ? e.version : t.version, state: projector.evolve(t.state, e, stream) });
    }
  }
  return out;
}

async function expectSnapshotsMatchLog(store: EventStore<TestState>, projector: Projector<TestState> = testProjector) {
  const expected = await foldLog(store, projector);
  const snaps = await store.load([...expected.keys()]);
  expect(new Map([...snaps].map(([k, s]) => [k, { version: s.version, state: s.state }]))).toEqual(expected);
}

export interface ContractOptions {
  /** Deletes snapshot rows behind the store's back (all, or those of `streams`), as an operator might. */
  dropSnapshots?(store: EventStore<TestState>, streams?: readonly string[]): void | Promise<void>;
}

export function describeEventStoreContract(
  name: string,
  open: (dir: string, projector: Projector<TestState>) => Promise<EventStore<TestState>> | EventStore<TestState>,
  options: ContractOptions = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let dir: string;
    let store: EventStore<TestState>;
    let closed = false;
    const reopen = async (projector: Projector<TestState> = testProjector) => {
      if (!closed) await store.close();
      store = await open(dir, projector);
      closed = false;
      return store;
    };
    const dropSnapshots = async (streams?: readonly string[]) => {
      if (!options.dropSnapshots) throw new Error(`${name}: pass options.dropSnapshots to run the rebuild rules`);
      await options.dropSnapshots(store, streams);
    };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'samaritan-contract-'));
      store = await open(dir, testProjector);
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('an empty store has headSeq 0 and an empty log', async () => {
      expect(await store.headSeq()).toBe(0);
      expect(await store.readAfter(0, 100)).toEqual([]);
      expect(await store.load(['box-1'])).toEqual(new Map());
      expect(await store.list('box')).toEqual([]);
    });

    it('append assigns consecutive global seq from 1 and per-stream versions from 1', async () => {
      const a = stored(await store.append(req([added('box-1', 'a'), added('box-1', 'b'), added('box-2', 'c')])));
      expect(a.map((e) => [e.seq, e.stream, e.version])).toEqual([
        [1, 'box-1', 1],
        [2, 'box-1', 2],
        [3, 'box-2', 1],
      ]);
      const b = stored(await store.append(req([added('box-2', 'd'), added('box-3', 'e')], { 'box-2': 1, 'box-3': 0 })));
      expect(b.map((e) => [e.seq, e.stream, e.version])).toEqual([
        [4, 'box-2', 2],
        [5, 'box-3', 1],
      ]);
      expect(await store.headSeq()).toBe(5);
    });

    it('stored events round-trip type, data, at and meta, and carry recordedAt and v', async () => {
      const [e] = stored(await store.append({ ...req([added('box-1', 'a', 'I-1')]), meta: { actor: 'test', n: 1 } }));
      const [read] = await store.readAfter(0, 1);
      expect(read).toEqual(e);
      expect(read).toMatchObject({ type: 'Added', stream: 'box-1', at: AT, data: { item: 'a', incidentId: 'I-1' } });
      expect(read?.meta).toEqual({ actor: 'test', n: 1 });
      expect(Number.isNaN(Date.parse(read?.recordedAt ?? ''))).toBe(false);
      expect(Number.isInteger(read?.v)).toBe(true);
    });

    it('readAfter pages in seq order: events with seq > after, at most limit', async () => {
      for (let i = 1; i <= 10; i++) stored(await store.append(req([added(`box-${i}`, `x${i}`)])));
      expect((await store.readAfter(0, 3)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await store.readAfter(3, 4)).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
      expect((await store.readAfter(8, 100)).map((e) => e.seq)).toEqual([9, 10]);
      expect(await store.readAfter(10, 100)).toEqual([]);
      expect((await readLog(store)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('headSeq is the seq of the last stored event', async () => {
      stored(await store.append(req([added('box-1', 'a'), added('box-2', 'b')])));
      expect(await store.headSeq()).toBe(2);
      stored(await store.append(req([added('box-1', 'c')], { 'box-1': 1 })));
      expect(await store.headSeq()).toBe(3);
    });

    it('an expected-version mismatch returns VersionConflict and writes nothing', async () => {
      stored(await store.append(req([added('box-1', 'a'), added('box-1', 'b')])));
      const outcome = await store.append(req([added('box-1', 'c')], { 'box-1': 1 }));
      expect(outcome).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-1', expected: 1, actual: 2 } });
      expect(await store.headSeq()).toBe(2);
      expect((await store.load(['box-1'])).get('box-1')).toMatchObject({ version: 2, state: { items: ['a', 'b'] } });
    });

    it('a multi-stream append where one stream conflicts writes none of its events (atomic)', async () => {
      stored(await store.append(req([added('box-2', 'x')])));
      const outcome = await store.append(req([added('box-1', 'a'), added('box-2', 'b'), added('box-3', 'c')]));
      expect(outcome).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-2', expected: 0, actual: 1 } });
      expect((await readLog(store)).map((e) => e.stream)).toEqual(['box-2']);
      expect([...(await store.load(['box-1', 'box-2', 'box-3'])).keys()]).toEqual(['box-2']);
      // The log has no hole where the refused events would have been.
      expect(stored(await store.append(req([added('box-1', 'a')])))[0]?.seq).toBe(2);
    });

    it('a stream expected at version 0 that already exists conflicts', async () => {
      stored(await store.append(req([added('box-1', 'a')])));
      const outcome = await store.append(req([added('box-1', 'again')]));
      expect(outcome).toMatchObject({ ok: false, code: 'VersionConflict', details: { stream: 'box-1', expected: 0, actual: 1 } });
      expect(await store.headSeq()).toBe(1);
    });

    it('of two concurrent appends against the same version, exactly one wins', async () => {
      const outcomes = await Promise.all([store.append(req([added('box-1', 'a')])), store.append(req([added('box-1', 'b')]))]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok && o.code === 'VersionConflict')).toHaveLength(1);
      expect(await store.headSeq()).toBe(1);
    });

    it('appendAll stores every request, in order, in one go', async () => {
      const events = await store.appendAll([req([added('box-1', 'a'), added('box-2', 'b')]), req([added('box-3', 'c')])]);
      expect(events.map((e) => [e.seq, e.stream, e.version])).toEqual([
        [1, 'box-1', 1],
        [2, 'box-2', 1],
        [3, 'box-3', 1],
      ]);
      expect(await readLog(store)).toEqual(events);
      await expectSnapshotsMatchLog(store);
    });

    it('appendAll is all or nothing: one conflicting request writes no event of any request', async () => {
      stored(await store.append(req([added('box-9', 'z')])));
      const all = store.appendAll([req([added('box-1', 'a')]), req([added('box-2', 'b')]), req([added('box-9', 'dup')])]);
      await expect(all).rejects.toThrow();
      expect((await readLog(store)).map((e) => e.stream)).toEqual(['box-9']);
      expect(await store.load(['box-1', 'box-2'])).toEqual(new Map());
      expect(stored(await store.append(req([added('box-1', 'a')])))[0]?.seq).toBe(2);
    });

    it('snapshots reflect every appended event, including streams named by alsoAffects', async () => {
      stored(await store.append(req([added('box-1', 'a'), added('tag-1', 't')])));
      stored(await store.append(req([statusSet('box-1', 'open'), mentioned('box-1', 'tag-1')], { 'box-1': 1 })));
      stored(await store.append(req([mentioned('box-2', 'tag-1'), added('box-2', 'b')])));
      const snaps = await store.load(['box-1', 'box-2', 'tag-1']);
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
      await expectSnapshotsMatchLog(store);
    });

    it('load returns the snapshots of the streams that exist, and no others', async () => {
      stored(await store.append(req([added('box-1', 'a'), added('box-2', 'b')])));
      const snaps = await store.load(['box-2', 'box-404']);
      expect([...snaps.keys()]).toEqual(['box-2']);
      expect(snaps.get('box-2')?.state.items).toEqual(['b']);
    });

    it('list returns the snapshots of a kind, filtered by status, at most limit', async () => {
      stored(await store.append(req([added('box-1', 'a'), added('box-2', 'b'), added('box-3', 'c'), added('tag-1', 't')])));
      stored(await store.append(req([statusSet('box-1', 'open'), statusSet('box-2', 'shut')], { 'box-1': 1, 'box-2': 1 })));
      const streams = (states: readonly TestState[]) => states.map((s) => s.stream).sort();
      expect(streams(await store.list('box'))).toEqual(['box-1', 'box-2', 'box-3']);
      expect(streams(await store.list('box', ['open']))).toEqual(['box-1']);
      expect(streams(await store.list('box', ['open', 'new']))).toEqual(['box-1', 'box-3']);
      expect(streams(await store.list('tag'))).toEqual(['tag-1']);
      expect(await store.list('box', ['gone'])).toEqual([]);
      expect(await store.list('box', undefined, 2)).toHaveLength(2);
    });

    it('the idempotency record is written in the same transaction as the events', async () => {
      expect(await store.idempotency('k1')).toBeUndefined();
      const first = { ...req([added('box-1', 'a')]), idempotency: { key: 'k1', fingerprint: 'f1', result: { id: 'box-1' } } };
      stored(await store.append(first));
      expect(await store.idempotency('k1')).toEqual({ fingerprint: 'f1', result: { id: 'box-1' } });
      // A refused append records nothing under its key.
      const refused = await store.append({
        ...req([added('box-1', 'b')]),
        idempotency: { key: 'k2', fingerprint: 'f2', result: 2 },
      });
      expect(refused).toMatchObject({ ok: false, code: 'VersionConflict' });
      expect(await store.idempotency('k2')).toBeUndefined();
      // Nor does a batch that fails on a later request: its keys go with its events.
      const batch = store.appendAll([
        { ...req([added('box-3', 'c')]), idempotency: { key: 'k3', fingerprint: 'f3', result: 3 } },
        { ...req([added('box-4', 'd')]), idempotency: { key: 'k1', fingerprint: 'f1', result: 4 } },
      ]);
      await expect(batch).rejects.toThrow();
      expect(await store.idempotency('k3')).toBeUndefined();
      expect(await store.headSeq()).toBe(1);
      await reopen();
      expect(await store.idempotency('k1')).toEqual({ fingerprint: 'f1', result: { id: 'box-1' } });
    });

    it('a second append with the same idempotency key returns IdempotencyKeyReplayed with the first result and writes nothing', async () => {
      const key = { key: 'k1', fingerprint: 'f1', result: { id: 'box-1' } };
      stored(await store.append({ ...req([added('box-1', 'a')]), idempotency: key }));
      const again = await store.append({
        ...req([added('box-2', 'b')]),
        idempotency: { key: 'k1', fingerprint: 'other', result: { id: 'box-2' } },
      });
      expect(again).toMatchObject({ ok: false, code: 'IdempotencyKeyReplayed', result: { id: 'box-1' } });
      expect(await store.headSeq()).toBe(1);
      expect(await store.load(['box-2'])).toEqual(new Map());
      expect(await store.idempotency('k1')).toEqual({ fingerprint: 'f1', result: { id: 'box-1' } });
    });

    it('readIncidentTimeline returns the events whose data.incidentId matches, in seq order', async () => {
      stored(await store.append(req([added('box-1', 'a', 'I-1'), added('box-2', 'b', 'I-2')])));
      stored(await store.append(req([added('box-3', 'c'), added('box-4', 'd', 'I-1')])));
      stored(await store.append(req([added('box-1', 'e', 'I-1')], { 'box-1': 1 })));
      const timeline = await store.readIncidentTimeline('I-1');
      expect(timeline.map((e) => [e.seq, e.stream, (e.data as TestData).item])).toEqual([
        [1, 'box-1', 'a'],
        [4, 'box-4', 'd'],
        [5, 'box-1', 'e'],
      ]);
      expect(await store.readIncidentTimeline('I-404')).toEqual([]);
    });

    it('data survives close and reopen: log, head, versions, snapshots and idempotency', async () => {
      stored(await store.append(req([added('box-1', 'a', 'I-1'), added('tag-1', 't')])));
      stored(
        await store.append({ ...req([mentioned('box-2', 'tag-1')]), idempotency: { key: 'k', fingerprint: 'f', result: 1 } }),
      );
      const [log, snaps] = [await readLog(store), await store.load(['box-1', 'box-2', 'tag-1'])];
      await reopen();
      expect(await readLog(store)).toEqual(log);
      expect(await store.headSeq()).toBe(3);
      expect(await store.load(['box-1', 'box-2', 'tag-1'])).toEqual(snaps);
      expect(await store.readIncidentTimeline('I-1')).toEqual(log.slice(0, 1));
      expect(await store.idempotency('k')).toEqual({ fingerprint: 'f', result: 1 });
      expect(await store.append(req([added('box-1', 'b')], { 'box-1': 0 }))).toMatchObject({ code: 'VersionConflict' });
      expect(stored(await store.append(req([added('box-1', 'b')], { 'box-1': 1 })))[0]).toMatchObject({ seq: 4, version: 2 });
    });

    /** A log with plain, status and alsoAffects events over several appends. */
    const fillLog = async () => {
      stored(await store.append(req([added('box-1', 'a', 'I-1'), added('tag-1', 't')])));
      stored(await store.append(req([statusSet('box-1', 'open'), mentioned('box-1', 'tag-1')], { 'box-1': 1 })));
      stored(await store.append(req([mentioned('box-2', 'tag-1'), statusSet('box-2', 'shut')])));
      await store.appendAll([req([added('box-3', 'c')]), req([added('box-1', 'd')], { 'box-1': 3 })]);
      const streams = ['box-1', 'box-2', 'box-3', 'tag-1'];
      return { streams, snaps: await store.load(streams), open: await store.list('box', ['open']) };
    };

    it('snapshots are rebuilt from the log when they are missing', async () => {
      const before = await fillLog();
      await dropSnapshots();
      await reopen();
      expect(await store.load(before.streams)).toEqual(before.snaps);
      expect(await store.list('box', ['open'])).toEqual(before.open);
      await expectSnapshotsMatchLog(store);
    });

    it('the snapshot of a single stream is rebuilt from the log when it is missing', async () => {
      const before = await fillLog();
      await dropSnapshots(['tag-1']);
      await reopen();
      expect(await store.load(before.streams)).toEqual(before.snaps);
      await expectSnapshotsMatchLog(store);
    });

    it('snapshots are rebuilt from the log when the projector schemaVersion changes', async () => {
      const before = await fillLog();
      await reopen({ ...testProjector, schemaVersion: 2 });
      expect(await store.load(before.streams)).toEqual(before.snaps);
      // A new shape: items upper-cased. Every snapshot is folded again with the new projector.
      const upper: Projector<TestState> = {
        ...testProjector,
        schemaVersion: 3,
        evolve: (s, e, stream) => {
          const next = testProjector.evolve(s, e, stream);
          return next && { ...next, items: next.items.map((i) => i.toUpperCase()) };
        },
      };
      await reopen(upper);
      expect((await store.load(['box-1'])).get('box-1')?.state.items).toEqual(['A', 'D']);
      await expectSnapshotsMatchLog(store, upper);
      // New appends keep folding with the projector the store was opened with.
      stored(await store.append(req([added('box-1', 'e')], { 'box-1': 4 })));
      expect((await store.load(['box-1'])).get('box-1')?.state.items).toEqual(['A', 'D', 'E']);
    });
  });
}
