import type { IncidentOrigin } from '../../core/commands.ts';
import type { IncidentDetails } from '../../core/events.ts';
import type { UnitStatus } from '../../core/statuses.ts';
import { EMSI_TO_UNIT_STATUS, natureOf, priorityFromEmsi, type EmsiResourceStatus } from './emsi-codes.ts';
import type { DocumentError } from './emsi-schema.ts';

/** What an EMSI message says of the incident, ready for ReceiveIncident / UpdateIncident. */
export interface EmsiImport {
  readonly origin: IncidentOrigin;
  readonly msgType: string;
  readonly details: IncidentDetails;
  /** The sender's resources on it, as our statuses (they are not our units: carried, not dispatched). */
  readonly resources: ReadonlyArray<{ readonly id: string; readonly name: string; readonly status: UnitStatus }>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((o): o is Obj => o !== undefined) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** The source of an EMSI document: the sending organisation (CONTEXT/ORIGIN/ORG_ID). */
export const emsiSource = (orgId: string | undefined): string => `emsi:${orgId ?? 'unknown'}`;

/**
 * Reads a message the schema accepted. The incident's place is the event's first position with
 * coordinates, else a mission's; a message without one cannot make an incident and is refused with
 * where the position was looked for.
 */
export function fromEmsi(message: Obj): { ok: true; value: EmsiImport } | { ok: false; errors: DocumentError[] } {
  const context = obj(message['CONTEXT']) ?? {};
  const event = obj(message['EVENT']) ?? {};
  const missions = list(message['MISSION']);
  const positions: Array<{ position: Obj | undefined; at: string }> = [
    ...list(event['EGEO']).map((g, i) => ({ position: obj(g['POSITION']), at: `/EVENT/EGEO/${i}/POSITION` })),
    ...missions.map((m, i) => ({ position: obj(m['POSITION']), at: `/MISSION/${i}/POSITION` })),
  ];
  const placed = positions.find((p) => list(p.position?.['COORD']).length > 0);
  const coord = placed ? list(placed.position?.['COORD'])[0] : undefined;
  const lat = coord?.['LAT'];
  const lon = coord?.['LONG'];
  if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return { ok: false, errors: [{ path: placed ? `${placed.at}/COORD/0` : '/EVENT/EGEO', message: 'an incident needs a position: a COORD with LAT within ±90 and LONG within ±180' }] };
  }
  const address = strings(placed?.position?.['ADDRESS']).find((a) => a.trim() !== '' && a !== 'None') ?? str(placed?.position?.['NAME']);
  const etype = obj(event['ETYPE']) ?? {};
  // The operation (the mission no other mission is parent of) carries the priority; then any mission.
  const operation = missions.find((m) => strings(m['PARENT_MISSION_ID']).length === 0 && str(m['PRIORITY']) !== undefined);
  const priority =
    priorityFromEmsi(str(operation?.['PRIORITY']) ?? missions.map((m) => str(m['PRIORITY'])).find((p) => p !== undefined)) ??
    (context['URGENCY'] === 'URGENT' ? 1 : 2);
  const notes = str(event['FREETEXT']);
  const details: IncidentDetails = {
    location: { lat, lon },
    nature: natureOf(strings(etype['CATEGORY']), strings(etype['ACTOR'])),
    priority,
    ...(address === undefined ? {} : { address }),
    ...(notes === undefined ? {} : { notes }),
  };
  const resources = list(message['RESOURCE']).map((r) => ({
    id: String(r['ID']),
    name: String(r['NAME']),
    status: EMSI_TO_UNIT_STATUS[r['STATUS'] as EmsiResourceStatus] ?? 'available',
  }));
  const origin = { source: emsiSource(str(obj(context['ORIGIN'])?.['ORG_ID'])), externalId: String(event['ID']) };
  return { ok: true, value: { origin, msgType: String(context['MSGTYPE']), details, resources } };
}

/** The fields of `next` that differ from `current`: what an update of the same document changes. */
export function changedDetails(current: IncidentDetails, next: IncidentDetails): Partial<IncidentDetails> {
  const changes: Record<string, unknown> = {};
  for (const key of ['nature', 'priority', 'address', 'notes'] as const) {
    if (next[key] !== undefined && next[key] !== current[key]) changes[key] = next[key];
  }
  if (next.location.lat !== current.location.lat || next.location.lon !== current.location.lon) changes['location'] = next.location;
  return changes as Partial<IncidentDetails>;
}
