import type { IncidentState } from '../../core/incident.ts';
import type { UnitStatus } from '../../core/statuses.ts';
import type {
  AgencyComponent,
  CallbackComponent,
  EidoDocument,
  EmergencyResourceComponent,
  IncidentComponent,
  LocationComponent,
  NotesComponent,
  PersonComponent,
  Prologue,
} from './eido-types.ts';
import { civicOfAddress, toPidfLo, type CivicAddress } from './pidf-lo.ts';
import { offsetDateTime } from '../date-time.ts';
import {
  CALLER_ROLE,
  CAPABILITY_TO_RESOURCE_ATTRIBUTE,
  CLEARED_UNIT,
  INCIDENT_LOCATION_TYPE,
  INCIDENT_STATUS_TO_REGISTRY,
  NATURE_TO_INCIDENT_TYPE,
  OUR_AGENCY_ROLE,
  UNIT_STATUS_TO_REGISTRY,
  checkRegistryMap,
  resourceTypeOf,
} from './registry-map.ts';

/** Who we are in the documents we issue. */
export interface EidoCentre {
  /** Our agency's globally unique identifier, a domain name by NENA's habit ("sfd.sf.ca.us"). */
  readonly agencyId: string;
  /** The functional element that builds the document (our CAD). */
  readonly elementId: string;
  /** IANA urn:emergency:service:responder types without the prefix ("fire", "ems"). */
  readonly agencyTypes: readonly string[];
}

export interface EidoUnit {
  readonly name: string;
  readonly unitType: string;
  readonly capabilities: readonly string[];
}

export interface EidoExportInput {
  readonly incident: IncidentState;
  /** The stream version the document describes: with the incident id it names the document. */
  readonly version: number;
  /** When the incident last changed (epoch ms): the root's lastUpdateTimeStamp. */
  readonly lastUpdatedAt: number;
  /** Units by id (those on the incident); a unit missing here is exported by its id alone. */
  readonly units: ReadonlyMap<string, EidoUnit>;
  readonly centre: EidoCentre;
  /** Minutes east of UTC of the centre's local time at an instant: timestamps are written in local time with their offset. */
  readonly utcOffsetMinAt: (epochMs: number) => number;
}

/** RFC 3339 with the local offset: 2024-05-01T09:30:00.000-07:00. */
export const rfc3339 = (epochMs: number, offsetMin: number): string => offsetDateTime(epochMs, { offsetMin, millis: true });

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The incident as an EIDO 1.0 document. Pure: the same input gives the same document, byte for
 * byte. Component ids are URNs under the incident's own (`urn:emergency:uid:incidentid:<id>:<agency>`),
 * so they stay the same from one version of the incident to the next, and every `$ref` in the
 * document names a component in it or our agency.
 */
export function toEido(input: EidoExportInput): EidoDocument {
  checkRegistryMap();
  const { incident: s, centre } = input;
  const at = (ms: number) => rfc3339(ms, input.utcOffsetMinAt(ms));
  const atIso = (iso: string) => at(Date.parse(iso));
  const rootId = `urn:emergency:uid:incidentid:${s.id}:${centre.agencyId}`;
  const part = (kind: string, n?: string) => `urn:emergency:uid:${kind}:${s.id}${n === undefined ? '' : `.${n}`}:${centre.agencyId}`;
  const agency = { $ref: centre.agencyId };
  const updated = at(input.lastUpdatedAt);
  const prologue = ($id: string, when = updated): Prologue => ({ $id, lastUpdateTimeStamp: when, updatedByAgencyReference: agency });
  const d = s.details;

  const notes: NotesComponent[] =
    d.notes === undefined || d.notes === '' ? [] : [{ ...prologue(part('notesid', 'incident')), notesActionComments: escapeHtml(d.notes) }];

  const civic: CivicAddress | undefined =
    d.address === undefined && d.floor === undefined && d.access === undefined
      ? undefined
      : {
          ...(d.address === undefined ? {} : civicOfAddress(d.address)),
          ...(d.floor === undefined ? {} : { FLR: d.floor }),
          ...(d.access === undefined ? {} : { LOC: d.access }),
        };
  const locationId = part('locationid', 'incident');
  const location: LocationComponent = {
    ...prologue(locationId),
    locationTypeDescriptionRegistryText: INCIDENT_LOCATION_TYPE,
    locationByValue: toPidfLo({
      entity: `pres:${s.id}@${centre.agencyId}`,
      deviceId: `incident-${s.id}`,
      location: d.location,
      ...(civic === undefined ? {} : { civic }),
      timestamp: updated,
    }),
    ...(d.address === undefined ? {} : { locationDescriptionText: d.address }),
  };

  const hasCaller = d.callerName !== undefined || d.callbackNumber !== undefined;
  const callbackId = part('callbackid', 'caller');
  const callbacks: CallbackComponent[] =
    d.callbackNumber === undefined ? [] : [{ ...prologue(callbackId, atIso(s.receivedAt)), callBackInformationUri: [telUri(d.callbackNumber)] }];
  const persons: PersonComponent[] = !hasCaller
    ? []
    : [
        {
          ...prologue(part('personid', 'caller'), atIso(s.receivedAt)),
          personIncidentRoleRegistryText: [CALLER_ROLE],
          ...(d.callerName === undefined ? {} : { ncPersonComponent: { name: [{ personFullName: [{ value: d.callerName }] }] } }),
          ...(d.callbackNumber === undefined ? {} : { callBackReference: { $ref: callbackId } }),
        },
      ];

  const units: EmergencyResourceComponent[] = Object.values(s.assignments)
    .sort((a, b) => (a.dispatchedAt ?? '').localeCompare(b.dispatchedAt ?? '') || a.unitId.localeCompare(b.unitId))
    .map((a) => {
      const unit = input.units.get(a.unitId);
      const values = a.active ? UNIT_STATUS_TO_REGISTRY[a.status] : CLEARED_UNIT;
      const since = a.clearedAt ?? a.onSceneAt ?? a.enRouteAt ?? a.dispatchedAt ?? s.receivedAt;
      return {
        ...prologue(part('resourceid', a.unitId), atIso(since)),
        emergencyResourceTypeCommonRegistryText: resourceTypeOf(unit?.unitType ?? ''),
        ...(unit === undefined ? {} : { emergencyResourceTypeInternalText: unit.unitType }),
        emergencyResourceName: unit?.name ?? a.unitId,
        resourceAttributeRegistryText: [
          ...new Set((unit?.capabilities ?? []).flatMap((c) => (CAPABILITY_TO_RESOURCE_ATTRIBUTE[c] === undefined ? [] : [CAPABILITY_TO_RESOURCE_ATTRIBUTE[c]]))),
        ],
        primaryUnitStatusRegistryText: values.primary,
        secondaryUnitStatusRegistryText: [...values.secondary],
        unitStatusInternal: [a.active ? (a.status satisfies UnitStatus) : 'cleared'],
        agentReference: [],
      };
    });

  const incident: IncidentComponent = {
    ...prologue(part('incidentinfo')),
    incidentTypeCommonRegistryText: NATURE_TO_INCIDENT_TYPE[d.nature] ?? NATURE_TO_INCIDENT_TYPE['other']!,
    incidentTypeInternalCode: d.nature,
    incidentStatusCommonRegistryText: [INCIDENT_STATUS_TO_REGISTRY[s.status]],
    incidentStatusInternalText: [s.status],
    internalIncidentId: s.id,
    incidentCommonPriorityNumber: d.priority,
    incidentPriorityInternalText: `P${d.priority}`,
    locationReference: [{ $ref: locationId }],
    ...(persons.length === 0 ? {} : { personReference: persons.map((p) => ({ $ref: p.$id })) }),
    ...(notes.length === 0 ? {} : { notesReference: notes.map((n) => ({ $ref: n.$id })) }),
  };

  const ours: AgencyComponent = {
    ...prologue(centre.agencyId),
    agencyRoleDescriptionRegistryText: [OUR_AGENCY_ROLE],
    agencyType: [...centre.agencyTypes],
    incidentOwningAgencyIndicator: true,
  };

  // A duplicate report folded into another incident: this one was REPLACED by it, and that one is REPLACING it.
  const trackingId = (id: string) => `urn:emergency:uid:incidentid:${id}:${centre.agencyId}`;
  const merges = [
    ...(s.mergedInto === undefined ? [] : [{ other: s.mergedInto, direction: 'REPLACED' as const }]),
    ...s.duplicates.map((other) => ({ other, direction: 'REPLACING' as const })),
  ].map((m) => ({ ...prologue(part('mergeid', m.other)), incidentTrackingIdentifier: trackingId(m.other), incidentMergeDirectionCode: m.direction }));

  return {
    ...prologue(rootId),
    eidoVersion: '1.0',
    issuingElementIdentification: centre.elementId,
    ...(merges.length === 0 ? {} : { mergeComponent: merges }),
    agencyComponent: [ours],
    incidentComponent: incident,
    locationComponent: [location],
    ...(notes.length === 0 ? {} : { notesComponent: notes }),
    ...(persons.length === 0 ? {} : { personComponent: persons }),
    ...(callbacks.length === 0 ? {} : { callbackComponent: callbacks }),
    ...(units.length === 0
      ? {}
      : {
          emergencyResourceComponent: units,
          dispatchComponent: [{ ...prologue(part('dispatchid')), agencyReference: agency, emergencyResourceReference: units.map((u) => ({ $ref: u.$id })) }],
        }),
  };
}

/** A callback number as a tel: URI (RFC 3966): visual separators dropped, a leading + kept. */
export function telUri(number: string): string {
  const digits = number.replace(/[^\d+*#]/g, '');
  return `tel:${digits === '' ? number.replace(/\s+/g, '') : digits}`;
}
