import type { IncidentOrigin } from '../core/commands.ts';
import type { IncidentDetails } from '../core/events.ts';
import { epochMs } from '../core/ids.ts';
import { reject } from '../core/rejection.ts';
import type { Samaritan } from '../composition/samaritan.ts';
import type { Outcome, WriteContext } from '../log/writer.ts';
import { findIncidentByOrigin } from '../read-models/incident-origins.ts';

/** An incident as a document from outside describes it, read by its standard's importer. */
export interface DocumentIncident {
  readonly origin: IncidentOrigin;
  /** The details of a new incident. */
  readonly details: IncidentDetails;
  /** What the document changes in the incident made from an earlier version of it. */
  readonly changes: (current: IncidentDetails) => Partial<IncidentDetails>;
}

export type TakeIn =
  | { readonly ok: true; readonly incidentId: string; readonly created: boolean; readonly changed: boolean; readonly outsideServiceArea: boolean }
  | { readonly ok: false; readonly outcome: Exclude<Outcome, { ok: true }> };

/**
 * Takes a document in through the writer (POST /api/eido, POST /api/emsi, a partner's hand-over), idempotent by its origin: a new incident, or the one made
 * from the same (source, externalId) updated or left as it is. Never refused for its place: an
 * import outside the service area is taken and marked.
 */
export async function takeInDocument(app: Samaritan, doc: DocumentIncident, ctx: WriteContext): Promise<TakeIn> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const lookup = await findIncidentByOrigin(app.store, doc.origin);
    if (lookup.found) {
      const s = lookup.found;
      const changes = doc.changes(s.details);
      if (Object.keys(changes).length === 0) return { ok: true, incidentId: s.id, created: false, changed: false, outsideServiceArea: s.outsideServiceArea === true };
      const outcome = await app.writer.execute({ type: 'UpdateIncident', now: epochMs(app.clock()), incidentId: s.id, changes, outsideServiceArea: 'accept' }, ctx);
      if (!outcome.ok) return { ok: false, outcome };
      // The incident as the update left it: a document may move it back inside the area.
      const now = await app.queries.incident(s.id);
      return { ok: true, incidentId: s.id, created: false, changed: true, outsideServiceArea: now?.outsideServiceArea === true };
    }
    if (lookup.freeId === undefined) {
      return { ok: false, outcome: reject('IncidentAlreadyExists', 'Every id this document may take is held by another document') };
    }
    const outcome = await app.writer.execute({ type: 'ReceiveIncident', now: epochMs(app.clock()), incidentId: lookup.freeId, details: doc.details, origin: doc.origin }, ctx);
    // The same document delivered twice at once: the other delivery made it; look again.
    if (!outcome.ok && outcome.code === 'IncidentAlreadyExists') continue;
    if (!outcome.ok) return { ok: false, outcome };
    const outside = outcome.events?.some((e) => e.type === 'IncidentReceived' && e.data.outsideServiceArea === true) ?? false;
    return { ok: true, incidentId: lookup.freeId, created: true, changed: true, outsideServiceArea: outside };
  }
  return { ok: false, outcome: reject('IncidentAlreadyExists', 'The document was being taken in by another request; send it again') };
}
