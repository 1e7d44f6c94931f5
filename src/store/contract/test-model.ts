import { expect } from 'vitest';
import type { Actor } from '../../core/actor.ts';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import type { AppendOutcome, AppendRequest, EventStore, Projector } from '../event-store.ts';

/** The test read model: one per stream, folded by `testProjector`. */
export interface TestState {
  readonly stream: string;
  readonly status: string;
  readonly items: readonly string[];
  /** Streams whose `Mentioned` events named this one (reached through `alsoAffects`). */
  readonly mentionedBy: readonly string[];
}

export type TestData = { item?: string; status?: string; target?: string; incidentId?: string };

/** Kinds are the stream prefix: `box-1` is a box, `tag-7` a tag. */
const kindOf = (stream: string) => stream.slice(0, stream.indexOf('-'));

export const testProjector: Projector<TestState> = {
  schemaVersion: 1,
  evolve(state, event, stream) {
    const s = state ?? { stream, status: 'new', items: [], mentionedBy: [] };
    const data = event.data as TestData;
    if (stream !== event.stream) return { ...s, mentionedBy: [...s.mentionedBy, event.stream] };
    if ((event.type as string) === 'Boom') throw new Error(`the projector refuses ${event.stream}`);
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

export const AT = '2025-06-01T12:00:00.000Z';
const ev = (stream: string, type: 'Added' | 'StatusSet' | 'Mentioned' | 'Boom', data: TestData): PendingEvent =>
  ({ stream, type, at: AT, data }) as unknown as PendingEvent;
export const added = (stream: string, item: string, incidentId?: string) =>
  ev(stream, 'Added', incidentId === undefined ? { item } : { item, incidentId });
export const statusSet = (stream: string, status: string) => ev(stream, 'StatusSet', { status });
export const mentioned = (stream: string, target: string) => ev(stream, 'Mentioned', { target });
/** An event the projector throws on: the request fails while being written, after its other events. */
export const boom = (stream: string) => ev(stream, 'Boom', {});

export const TEST_ACTOR: Actor = { kind: 'system', id: 'contract' };

/**
 * A request by TEST_ACTOR that expects each stream at the version given, or 0 for every stream of
 * its events; `more` adds or replaces fields (records, idempotency, actor, requestId).
 */
export const req = (
  events: PendingEvent[],
  expected?: Record<string, number>,
  more: Partial<AppendRequest> = {},
): AppendRequest => ({
  expected: new Map(Object.entries(expected ?? Object.fromEntries(events.map((e) => [e.stream, 0])))),
  events,
  actor: TEST_ACTOR,
  ...more,
});

export function stored(outcome: AppendOutcome): readonly StoredEvent[] {
  if (!outcome.ok) throw new Error(`append failed: ${outcome.code} ${outcome.message}`);
  return outcome.events;
}

/** Reads the whole log in small pages, as a client would. */
export async function readLog(store: EventStore<TestState>): Promise<StoredEvent[]> {
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

export async function expectSnapshotsMatchLog(store: EventStore<TestState>, projector: Projector<TestState> = testProjector) {
  const expected = await foldLog(store, projector);
  const snaps = await store.load([...expected.keys()]);
  expect(new Map([...snaps].map(([k, s]) => [k, { version: s.version, state: s.state }]))).toEqual(expected);
}
