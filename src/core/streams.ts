import type { IncidentId, StationId, UnitId } from './ids.ts';

/** Stream names: one stream per incident, unit and station. */
export const incidentStream = (id: IncidentId): string => `incident-${id}`;
export const unitStream = (id: UnitId): string => `unit-${id}`;
export const stationStream = (id: StationId): string => `station-${id}`;

export type StreamKind = 'incident' | 'unit' | 'station';

/** Splits a stream name into its kind and id, or undefined for a stream the core does not own. */
export function parseStream(stream: string): { kind: StreamKind; id: string } | undefined {
  const dash = stream.indexOf('-');
  if (dash < 0) return undefined;
  const kind = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  return kind === 'incident' || kind === 'unit' || kind === 'station' ? { kind, id } : undefined;
}
