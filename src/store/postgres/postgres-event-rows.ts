import type { Actor } from '../../core/actor.ts';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import type { Queryable } from './pg-pool.ts';

/** A row of the events table as pg returns it (json columns parsed, bigint read as a number). */
export interface EventRow {
  seq: number;
  stream: string;
  version: number;
  type: string;
  v: number;
  at: string;
  recorded_at: string;
  data: unknown;
  meta: { actor: Actor; requestId?: string };
}

export const EVENT_COLUMNS = 'seq, stream, version, type, v, at, recorded_at, data, meta';

/** The stored event of a row, with the same keys in the same order as the SQLite store gives. */
export function toStored(r: EventRow): StoredEvent {
  const { actor, requestId } = r.meta;
  return {
    seq: r.seq,
    stream: r.stream,
    version: r.version,
    type: r.type,
    v: r.v,
    at: r.at,
    recordedAt: r.recorded_at,
    data: r.data,
    ...(requestId === undefined ? { actor } : { actor, requestId }),
  } as StoredEvent;
}

const incidentOf = (e: PendingEvent): string | null => {
  const id = (e.data as { incidentId?: unknown }).incidentId;
  return typeof id === 'string' ? id : null;
};

/** One event as it goes into the table: its place in the log and its stream already given. */
export interface EventInsert {
  readonly event: PendingEvent;
  readonly seq: number;
  readonly version: number;
}

/** Inserts `rows` in one statement (one round trip, however many events the request has). */
export async function insertEvents(
  db: Queryable,
  rows: readonly EventInsert[],
  common: { readonly v: number; readonly recordedAt: string; readonly meta: string },
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO events (seq, stream, version, type, v, at, recorded_at, incident_id, data, meta)
     SELECT seq, stream, version, type, $5, at, $6, incident_id, data, $7::json
       FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $8::text[], $9::text[], $10::json[])
         AS r(seq, stream, version, type, at, incident_id, data)`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.event.stream),
      rows.map((r) => r.version),
      rows.map((r) => r.event.type),
      common.v,
      common.recordedAt,
      common.meta,
      rows.map((r) => r.event.at),
      rows.map((r) => incidentOf(r.event)),
      rows.map((r) => JSON.stringify(r.event.data)),
    ],
  );
}

/** Events with seq > afterSeq, in order, at most `limit`. */
export async function eventsAfter(db: Queryable, afterSeq: number, limit: number): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
  return rows.map(toStored);
}
