import type { Actor } from '../../core/actor.ts';
import type { StoredEvent } from '../../core/events.ts';

/** A row of the events table, as SQLite returns it. */
export interface EventRow {
  seq: number;
  stream: string;
  version: number;
  type: string;
  v: number;
  at: string;
  recorded_at: string;
  data: string;
  meta: string | null;
}

/** The envelope's actor and request id live in the row's meta JSON (older rows: `{actor: "name", reqId}`). */
function envelopeOf(meta: string | null): { actor: Actor; requestId?: string } {
  const m = meta === null ? {} : (JSON.parse(meta) as { actor?: unknown; requestId?: unknown; reqId?: unknown });
  const actor: Actor =
    typeof m.actor === 'object' && m.actor !== null
      ? (m.actor as Actor)
      : { kind: 'system', id: typeof m.actor === 'string' ? m.actor : 'unknown' };
  const requestId = typeof m.requestId === 'string' ? m.requestId : typeof m.reqId === 'string' ? m.reqId : undefined;
  return requestId === undefined ? { actor } : { actor, requestId };
}

/** The stored event of a row, its envelope (actor, request id) read from the row's meta JSON. */
export const toStored = (r: EventRow): StoredEvent =>
  ({
    seq: r.seq,
    stream: r.stream,
    version: r.version,
    type: r.type,
    v: r.v,
    at: r.at,
    recordedAt: r.recorded_at,
    data: JSON.parse(r.data) as unknown,
    ...envelopeOf(r.meta),
  }) as StoredEvent;
