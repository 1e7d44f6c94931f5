import type { IncidentOrigin } from '../../core/commands.ts';
import type { IncidentDetails } from '../../core/events.ts';
import type { LatLon } from '../../core/lat-lon.ts';
import type { UnitStatus } from '../../core/statuses.ts';
import type { SchemaError } from './eido-schema.ts';
import type { EidoDocument, LocationComponent, Reference } from './eido-types.ts';
import { addressOfCivic, fromPidfLo, type PidfLocation } from './pidf-lo.ts';
import { CALLER_ROLE, INCIDENT_LOCATION_TYPE, natureOfIncidentType, unitStatusOf } from './registry-map.ts';

/** A unit of the sending centre as the document reports it; it is not one of ours, so it is read, not dispatched. */
export interface ReportedUnit {
  readonly name: string;
  readonly resourceType: string;
  /** The sender's own word for the type, when it gave one (ours when the sender is a Samaritan). */
  readonly unitType?: string;
  readonly status?: UnitStatus | 'cleared';
}

/** What an EIDO document tells us about its incident, in our words. */
export interface EidoIncident {
  readonly origin: IncidentOrigin;
  readonly location: LatLon;
  /** The radius (m) of the caller's position when it came as a circle. */
  readonly radiusM?: number;
  readonly address?: string;
  readonly floor?: string;
  readonly access?: string;
  readonly nature: string;
  /** Absent when the document gives none we can use: the nature's usual priority applies. */
  readonly priority?: 1 | 2 | 3;
  readonly callerName?: string;
  readonly callbackNumber?: string;
  readonly notes?: string;
  /** The sender's status words for its incident (Incident Status-Common), as given. */
  readonly statuses: readonly string[];
  readonly units: readonly ReportedUnit[];
}

export type EidoReading =
  | ({ readonly ok: true } & EidoIncident)
  | { readonly ok: false; readonly code: 'InvalidDocument'; readonly errors: readonly SchemaError[] }
  /** A location that declares a DTD or entities: refused outright, as every XML from outside is. */
  | { readonly ok: false; readonly code: 'XmlDoctypeRefused'; readonly message: string; readonly path: string };

/** Search order of location types for the place of the incident. */
const PLACE_ORDER = [INCIDENT_LOCATION_TYPE, 'InitialIncident', 'Caller', 'RoutingLocation'];

const HTML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Notes come as HTML5: we keep the text (tags dropped, entities decoded; `<br>` and paragraphs as new lines). */
export function textOfHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
      return HTML_ENTITIES[e.toLowerCase()] ?? m;
    })
    .trim();
}

const refIds = (refs: readonly Reference[] | undefined): Set<string> => new Set((refs ?? []).map((r) => r.$ref));

/**
 * Reads a document that the schema has already accepted. What the schema cannot say and we need
 * is checked here, with the JSON path of the part at fault: a position we can put on the map.
 */
export function fromEido(doc: EidoDocument): EidoReading {
  const origin: IncidentOrigin = { source: doc.updatedByAgencyReference.$ref, externalId: doc.$id };
  const inc = doc.incidentComponent;
  const locations = (doc.locationComponent ?? []).map((l, i) => ({ l, path: `/locationComponent/${i}` }));
  const named = refIds(inc?.locationReference);
  const rank = (l: LocationComponent) => {
    const r = PLACE_ORDER.indexOf(l.locationTypeDescriptionRegistryText);
    return (named.has(l.$id) ? 0 : 100) + (r === -1 ? PLACE_ORDER.length : r);
  };
  const candidates = locations.filter((c) => c.l.locationByValue !== undefined).sort((a, b) => rank(a.l) - rank(b.l));

  let place: { read: PidfLocation; loc: LocationComponent } | undefined;
  let civicOnly: { read: PidfLocation; loc: LocationComponent } | undefined;
  const errors: SchemaError[] = [];
  for (const { l, path } of candidates) {
    const read = fromPidfLo(l.locationByValue!);
    if (!read.ok) {
      if (read.code === 'XmlDoctypeRefused') return { ok: false, code: read.code, message: read.message, path: `${path}/locationByValue` };
      errors.push({ path: `${path}/locationByValue`, message: read.message });
      continue;
    }
    if (read.location.point !== undefined) {
      place = { read: read.location, loc: l };
      break;
    }
    civicOnly ??= { read: read.location, loc: l };
  }
  if (place === undefined || place.read.point === undefined) {
    return {
      ok: false,
      code: 'InvalidDocument',
      errors: [
        ...errors,
        {
          path: locations.length === 0 ? '/locationComponent' : (candidates[0]?.path ?? locations[0]!.path),
          message:
            'No location gives a geodetic position (a PIDF-LO gml:Point or gml:Circle in EPSG::4326) to place the incident' +
            (civicOnly === undefined ? '' : '; a civic address alone is not enough'),
        },
      ],
    };
  }
  const point = place.read.point;
  const civic = place.read.civic ?? civicOnly?.read.civic;
  const address = (civic === undefined ? undefined : addressOfCivic(civic)) ?? place.loc.locationDescriptionText;

  const noteIds = refIds(inc?.notesReference);
  const notesText = (doc.notesComponent ?? [])
    .filter((n) => noteIds.size === 0 || noteIds.has(n.$id))
    .map((n) => textOfHtml(n.notesActionComments))
    .filter((t) => t !== '')
    .join('\n');

  const caller = (doc.personComponent ?? []).find((p) => p.personIncidentRoleRegistryText.includes(CALLER_ROLE));
  const callerName = caller?.ncPersonComponent?.name?.[0]?.personFullName?.[0]?.value;
  const callback = (doc.callbackComponent ?? []).find((c) => c.$id === caller?.callBackReference?.$ref);
  const tel = callback?.callBackInformationUri?.find((u) => /^tel:/i.test(u));

  const n = inc?.incidentCommonPriorityNumber;
  const priority = n === undefined || !Number.isInteger(n) || n < 1 ? undefined : (Math.min(n, 3) as 1 | 2 | 3);
  const nature = inc === undefined ? 'other' : natureOfIncidentType(inc.incidentTypeCommonRegistryText);

  const units: ReportedUnit[] = (doc.emergencyResourceComponent ?? []).map((r) => {
    const status = unitStatusOf(r.primaryUnitStatusRegistryText, r.secondaryUnitStatusRegistryText);
    return {
      name: r.emergencyResourceName ?? r.$id,
      resourceType: r.emergencyResourceTypeCommonRegistryText,
      ...(r.emergencyResourceTypeInternalText === undefined ? {} : { unitType: r.emergencyResourceTypeInternalText }),
      ...(status === undefined ? {} : { status }),
    };
  });

  return {
    ok: true,
    origin,
    location: point,
    ...(place.read.radiusM === undefined ? {} : { radiusM: place.read.radiusM }),
    ...(address === undefined ? {} : { address }),
    ...(civic?.FLR === undefined ? {} : { floor: civic.FLR }),
    ...(civic?.LOC === undefined ? {} : { access: civic.LOC }),
    nature,
    ...(priority === undefined ? {} : { priority }),
    ...(callerName === undefined || callerName === '' ? {} : { callerName }),
    ...(tel === undefined ? {} : { callbackNumber: tel.slice(4) }),
    ...(notesText === '' ? {} : { notes: notesText }),
    statuses: inc?.incidentStatusCommonRegistryText ?? [],
    units,
  };
}

const DETAIL_KEYS = ['address', 'floor', 'access', 'nature', 'priority', 'callerName', 'callbackNumber', 'notes'] as const;

/** The incident's details as the document gives them; the nature's usual priority when it gives none. */
export function eidoDetails(read: EidoIncident, defaultPriority: 1 | 2 | 3): IncidentDetails {
  const d: Record<string, unknown> = { location: read.location, nature: read.nature, priority: read.priority ?? defaultPriority };
  for (const k of DETAIL_KEYS) if (read[k] !== undefined && d[k] === undefined) d[k] = read[k];
  return d as unknown as IncidentDetails;
}

/**
 * What a later version of the document changes in the incident made from it. A field the document
 * no longer gives is left as it is (another centre's silence does not erase what we know).
 */
export function eidoChanges(current: IncidentDetails, read: EidoIncident): Partial<IncidentDetails> {
  const changes: Record<string, unknown> = {};
  for (const k of DETAIL_KEYS) if (read[k] !== undefined && read[k] !== current[k]) changes[k] = read[k];
  if (read.location.lat !== current.location.lat || read.location.lon !== current.location.lon) changes['location'] = read.location;
  return changes as Partial<IncidentDetails>;
}
