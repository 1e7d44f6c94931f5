import type { IncidentOrigin } from '../core/commands.ts';
import type { IncidentId } from '../core/ids.ts';
import type { IncidentState } from '../core/incident.ts';
import type { StreamState } from '../core/loaded.ts';
import { originIncidentIds } from '../core/origin-id.ts';
import { incidentStream } from '../core/streams.ts';
import type { EventStore } from '../store/event-store.ts';

/** Where an imported document stands: the incident made from it, else the id a new one should take. */
export type OriginLookup =
  | { readonly found: IncidentState; readonly version: number }
  | { readonly found?: undefined; readonly freeId: string }
  | { readonly found?: undefined; readonly freeId?: undefined };

const carries = (s: IncidentState, o: IncidentOrigin) => s.source === o.source && s.externalId === o.externalId;

/**
 * Finds the incident made from the document (source, externalId), reading only the few snapshots
 * its derived ids name. Neither found nor free means every derived id is taken by other documents.
 */
export async function findIncidentByOrigin(store: EventStore<StreamState>, origin: IncidentOrigin): Promise<OriginLookup> {
  const ids = originIncidentIds(origin);
  const snapshots = await store.load(ids.map((id) => incidentStream(id as IncidentId)));
  let freeId: string | undefined;
  for (const id of ids) {
    const snap = snapshots.get(incidentStream(id as IncidentId));
    if (snap === undefined) {
      freeId ??= id;
      continue;
    }
    const s = snap.state as IncidentState;
    if (carries(s, origin)) return { found: s, version: snap.version };
  }
  return freeId === undefined ? {} : { freeId };
}
