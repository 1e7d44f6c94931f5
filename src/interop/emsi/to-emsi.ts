import type { IncidentState } from '../../core/incident.ts';
import type { UnitState } from '../../core/unit.ts';
import { etypeOf, INCIDENT_STATUS_TO_EMSI, priorityToEmsi, rclassOf, UNIT_STATUS_TO_EMSI } from './emsi-codes.ts';
import { instantOf, offsetDateTime } from '../date-time.ts';

/** The EMSI message (ANS profile, namespace urn:emergency:eda:1.9:emsi) as JSON, unwrapped. */
export interface EmsiMessage {
  CONTEXT: Record<string, unknown> & { ID: string; MODE: string; MSGTYPE: string };
  EVENT: Record<string, unknown> & { ID: string };
  MISSION?: Array<Record<string, unknown>>;
  RESOURCE?: Array<Record<string, unknown>>;
}

export interface EmsiExportOptions {
  /** Our centre's organisation id (CONTEXT/ORIGIN/ORG_ID, MISSION/ORG_ID, RESOURCE/ORG_ID). */
  readonly orgId: string;
  readonly orgName: string;
  /** Unique per message: the incident's id and the version of its stream. */
  readonly messageId: string;
  /** When the message is written (ISO text). */
  readonly now: string;
  /** Units that are or were on the incident, by id. */
  readonly units: ReadonlyMap<string, UnitState>;
}

/** EMSI date-times carry an offset and no fraction: `2024-01-09T16:00:00+00:00`. */
export const emsiTime = (iso: string): string => offsetDateTime(instantOf(iso));

const operationId = (incidentId: string): string => `${incidentId}-OP`;
const unitMissionId = (incidentId: string, unitId: string): string => `${incidentId}-${unitId}`;

/** An incident as one EMSI message: its event, the operation and a mission per unit sent, those units. */
export function toEmsi(incident: IncidentState, options: EmsiExportOptions): EmsiMessage {
  const { details } = incident;
  const etype = etypeOf(details.nature);
  const statuses = INCIDENT_STATUS_TO_EMSI[incident.status];
  const assignments = Object.values(incident.assignments);
  const position = {
    LOC_ID: `${incident.id}-LOC`,
    ...(details.address === undefined ? {} : { NAME: details.address }),
    TYPE: 'POINT',
    COORDSYS: 'EPSG-4326',
    COORD: [{ LAT: details.location.lat, LONG: details.location.lon }],
    ...(details.address === undefined ? {} : { ADDRESS: [details.address] }),
  };
  const msgType = incident.status === 'cancelled' ? 'CANCEL' : incident.status === 'received' && assignments.length === 0 ? 'ALERT' : 'UPDATE';
  const unitMissions = assignments.map((a) => ({
    TYPE: etype.mission,
    ID: unitMissionId(incident.id, a.unitId),
    ORG_ID: options.orgId,
    NAME: options.units.get(a.unitId)?.name ?? a.unitId,
    STATUS: a.active ? 'IPR' : 'COM',
    ...(a.dispatchedAt === undefined ? {} : { START_TIME: emsiTime(a.dispatchedAt) }),
    ...(a.clearedAt === undefined ? {} : { END_TIME: emsiTime(a.clearedAt) }),
    RESOURCE_ID: [a.unitId],
    PARENT_MISSION_ID: [operationId(incident.id)],
    MAIN_MISSION_ID: operationId(incident.id),
    PRIORITY: priorityToEmsi(details.priority),
  }));
  const operation = {
    TYPE: etype.mission,
    ID: operationId(incident.id),
    ORG_ID: options.orgId,
    NAME: '#OPERATION_GLOBALE#',
    STATUS: statuses.mission,
    START_TIME: emsiTime(incident.receivedAt),
    ...(unitMissions.length === 0 ? {} : { CHILD_MISSION_ID: unitMissions.map((m) => m.ID) }),
    POSITION: position,
    PRIORITY: priorityToEmsi(details.priority),
  };
  const resources = assignments.map((a) => {
    const unit = options.units.get(a.unitId);
    return {
      RTYPE: { RCLASS: [rclassOf(unit?.unitType ?? '')], ...(unit && unit.capabilities.length > 0 ? { CAPABILITY: [...unit.capabilities] } : {}) },
      ID: a.unitId,
      ORG_ID: options.orgId,
      NAME: unit?.name ?? a.unitId,
      QUANTITY: 1,
      // The assignment's status: the unit may since have moved on to another incident.
      STATUS: a.active ? UNIT_STATUS_TO_EMSI[a.status] : 'AVAILB',
    };
  });
  return {
    CONTEXT: {
      ID: options.messageId,
      MODE: 'ACTUAL',
      MSGTYPE: msgType,
      CREATION: emsiTime(options.now),
      LEVEL: 'OPR',
      ORIGIN: { ORG_ID: options.orgId, NAME: options.orgName },
      URGENCY: details.priority === 1 ? 'URGENT' : 'NOT_URGENT',
    },
    EVENT: {
      ID: incident.id,
      NAME: details.address === undefined ? details.nature : `${details.nature} — ${details.address}`,
      MAIN_EVENT_ID: incident.id,
      ETYPE: { CATEGORY: [etype.category], ACTOR: [etype.actor], LOCTYPE: ['OTH'] },
      SOURCE: 'HUMDED',
      DECL_DATIME: emsiTime(incident.receivedAt),
      STATUS: statuses.event,
      EGEO: [{ DATIME: emsiTime(incident.receivedAt), TYPE: 'GEN', POSITION: position }],
      ...(details.notes === undefined || details.notes === '' ? {} : { FREETEXT: details.notes }),
    },
    MISSION: [operation, ...unitMissions],
    ...(resources.length === 0 ? {} : { RESOURCE: resources }),
  };
}
