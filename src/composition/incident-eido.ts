import type { IncidentId } from '../core/ids.ts';
import type { StreamState } from '../core/loaded.ts';
import { incidentStream } from '../core/streams.ts';
import type { UnitState } from '../core/unit.ts';
import type { EidoDocument } from '../interop/eido/eido-types.ts';
import { toEido, type EidoCentre } from '../interop/eido/to-eido.ts';
import type { Queries } from '../read-models/queries.ts';
import type { EventStore } from '../store/event-store.ts';
import { utcOffsetMinAt } from '../time/time-zone.ts';

/** The units of an incident's assignments as they are now (a unit that is gone is left out). */
export async function assignedUnits(queries: Queries, ids: readonly string[]): Promise<Map<string, UnitState>> {
  const units = new Map<string, UnitState>();
  for (const id of ids) {
    const u = await queries.unit(id);
    if (u !== undefined) units.set(id, u);
  }
  return units;
}

/**
 * The incident as it is now, as the EIDO document that goes out of the centre (to a partner, to a
 * webhook subscriber); undefined when there is no such incident.
 */
export async function currentEido(
  d: { readonly store: EventStore<StreamState>; readonly queries: Queries },
  incidentId: string,
  centre: { readonly eido: EidoCentre; readonly timeZone: string },
): Promise<EidoDocument | undefined> {
  const stream = incidentStream(incidentId as IncidentId);
  const snap = (await d.store.load([stream])).get(stream);
  const incident = await d.queries.incident(incidentId);
  if (snap === undefined || incident === undefined) return undefined;
  const units = await assignedUnits(d.queries, Object.keys(incident.assignments));
  const timeline = await d.store.readIncidentTimeline(incidentId);
  const last = timeline.reduce((t, e) => Math.max(t, Date.parse(e.at)), Date.parse(incident.statusChangedAt));
  return toEido({ incident, version: snap.version, lastUpdatedAt: last, units, centre: centre.eido, utcOffsetMinAt: (t) => utcOffsetMinAt(centre.timeZone, t) });
}
