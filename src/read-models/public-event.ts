import type { StoredEvent } from '../core/events.ts';

/** An event as it leaves the product: in `GET /api/events` and in the integration webhooks alike. */
export interface PublicEvent {
  readonly seq: number;
  readonly type: StoredEvent['type'];
  readonly at: string;
  readonly stream: string;
  readonly version: number;
  readonly recordedAt: string;
  readonly actor: StoredEvent['actor'];
  readonly requestId?: string;
  readonly data: StoredEvent['data'];
}

/** The stored event without what stays inside (the schema version `v`). */
export function publicEvent(e: StoredEvent): PublicEvent {
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    stream: e.stream,
    version: e.version,
    recordedAt: e.recordedAt,
    actor: e.actor,
    ...(e.requestId === undefined ? {} : { requestId: e.requestId }),
    data: e.data,
  };
}
