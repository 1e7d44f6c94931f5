import { alsoAffects, evolve } from '../core/evolve.ts';
import type { StreamState } from '../core/loaded.ts';
import { parseStream } from '../core/streams.ts';
import type { Projector } from '../store/event-store.ts';

/** The domain's read models: one snapshot per stream, folded with the core's own `evolve`. */
export const domainProjector: Projector<StreamState> = {
  schemaVersion: 2,
  evolve,
  alsoAffects,
  kindOf: (stream) => parseStream(stream)?.kind ?? 'other',
  statusOf: (state) => ('status' in state ? state.status : undefined),
};
