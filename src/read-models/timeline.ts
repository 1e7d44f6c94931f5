import type { StoredEvent } from '../core/events.ts';

export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly summary: string;
  readonly unitId?: string;
  readonly data: unknown;
}

const words = (s: string) => s.replace(/_/g, ' ');

/** One line a dispatcher can read for each event in an incident's history. */
export function summarize(e: StoredEvent): string {
  switch (e.type) {
    case 'IncidentReceived':
      return `Received: ${words(e.data.nature)}, priority ${e.data.priority}${e.data.address ? `, ${e.data.address}` : ''}`;
    case 'IncidentDetailsUpdated':
      return `Details updated: ${Object.keys(e.data.changes).join(', ')}`;
    case 'UnitsDispatched':
      return `Dispatched ${e.data.unitIds.join(', ')}`;
    case 'IncidentStatusChanged':
      return `Incident ${words(e.data.to)} (${e.data.reason})`;
    case 'IncidentMerged':
      return `Merged into ${e.data.into} as a duplicate`;
    case 'DuplicateMerged':
      return `Duplicate ${e.data.duplicateId} merged in`;
    case 'UnitStatusChanged':
      return `${e.data.unitId} ${words(e.data.to)}${e.data.reason ? ` (${e.data.reason})` : ''}`;
    case 'UnitResponseRecorded':
      return `${e.data.unitId} responded (dispatched ${e.data.dispatchedAt ?? '-'}, on scene ${e.data.onSceneAt ?? '-'})`;
    default:
      return e.type;
  }
}

export function toTimelineEntry(e: StoredEvent): TimelineEntry {
  const unitId = (e.data as { unitId?: unknown }).unitId;
  return {
    seq: e.seq,
    at: e.at,
    type: e.type,
    summary: summarize(e),
    ...(typeof unitId === 'string' ? { unitId } : {}),
    data: e.data,
  };
}
