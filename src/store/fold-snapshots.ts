import type { StoredEvent } from '../core/events.ts';
import type { Projector } from './event-store.ts';

export interface FoldedSnapshot<S> {
  version: number;
  state: S | undefined;
}

/**
 * Folds stored events into the snapshots they touch, the way every store must: each event into its
 * own stream (which takes the event's version) and into each stream the projector says it also
 * affects (which keeps its own version). `current` gives a stream's snapshot before these events.
 * Returns the touched streams with their new snapshots.
 */
export function foldSnapshots<S>(
  projector: Projector<S>,
  events: Iterable<StoredEvent>,
  current: (stream: string) => { readonly version: number; readonly state: S | undefined },
): Map<string, FoldedSnapshot<S>> {
  const touched = new Map<string, FoldedSnapshot<S>>();
  for (const e of events) {
    for (const stream of [e.stream, ...projector.alsoAffects(e)]) {
      let t = touched.get(stream);
      if (!t) touched.set(stream, (t = { ...current(stream) }));
      t.state = projector.evolve(t.state, e, stream);
      if (stream === e.stream) t.version = e.version;
    }
  }
  return touched;
}
