import type { IncidentId, StationId, UnitId } from './ids.ts';

/** Stream names: one stream per incident, unit, station and volunteer, and one per incident's volunteer response. */
export const incidentStream = (id: IncidentId): string => `incident-${id}`;
export const unitStream = (id: UnitId): string => `unit-${id}`;
export const stationStream = (id: StationId): string => `station-${id}`;
export const volunteerStream = (volunteerId: string): string => `volunteer-${volunteerId}`;
/** The volunteer response to an incident; why it is not the incident's own stream: volunteer-response.ts. */
export const responseStream = (incidentId: string): string => `response-${incidentId}`;

const STREAM_KINDS = ['incident', 'unit', 'station', 'volunteer', 'response', 'handover'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];
const isStreamKind = (k: string): k is StreamKind => (STREAM_KINDS as readonly string[]).includes(k);

/** Splits a stream name into its kind and id, or undefined for a stream the core does not own. */
export function parseStream(stream: string): { kind: StreamKind; id: string } | undefined {
  const dash = stream.indexOf('-');
  if (dash < 0) return undefined;
  const kind = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  return isStreamKind(kind) ? { kind, id } : undefined;
}
