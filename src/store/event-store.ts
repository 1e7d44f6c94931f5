import type { Actor } from '../core/actor.ts';
import type { PendingEvent, StoredEvent } from '../core/events.ts';
import type { RecordWrite } from './record-writes.ts';

/**
 * How read models are derived from the log. The store is generic: the domain passes its own
 * `evolve` in, and the store keeps one snapshot per stream, updated in the same transaction as
 * the append, so a read after an acknowledged write always sees it.
 */
export interface Projector<S> {
  /** Bump when the shape of a snapshot changes: the store then rebuilds every snapshot from the log. */
  readonly schemaVersion: number;
  /** Folds `event` into the state of `stream`, which is the event's own stream or one it also affects. */
  evolve(state: S | undefined, event: PendingEvent, stream: string): S | undefined;
  /** Streams other than the event's own whose snapshot the event changes. */
  alsoAffects(event: PendingEvent): readonly string[];
  /** The kind of a stream ("incident", "unit", ...) and the status of a snapshot, for listing. */
  kindOf(stream: string): string;
  statusOf(state: S): string | undefined;
}

export interface Snapshot<S> {
  readonly stream: string;
  readonly version: number;
  readonly state: S;
}

export interface AppendRequest {
  /** Stream → the version the decision was made against (0: the stream must not exist yet). */
  readonly expected: ReadonlyMap<string, number>;
  readonly events: readonly PendingEvent[];
  /** Who made the change; stored on every event of the request. */
  readonly actor: Actor;
  /** The HTTP request that carried the change, if any. */
  readonly requestId?: string;
  /**
   * Records the outcome under an Idempotency-Key in the same transaction as the events. A key whose
   * record has expired (IDEMPOTENCY_TTL_MS) is taken as new, and its record replaced.
   */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string; readonly result: unknown };
  /**
   * Changes to the store's own tables (credentials, personal data, AEDs, the delivery queue) that
   * must commit with these events or not at all: a token and its `TokenIssued`, an erasure and its
   * `VolunteerDeleted`. A guard that does not hold refuses the whole request (`RecordConflict`).
   */
  readonly records?: readonly RecordWrite[];
}

export type AppendOutcome =
  | { readonly ok: true; readonly events: readonly StoredEvent[] }
  | {
      readonly ok: false;
      readonly code: 'VersionConflict';
      readonly message: string;
      readonly details: { stream: string; expected: number; actual: number };
    }
  | { readonly ok: false; readonly code: 'IdempotencyKeyReplayed'; readonly message: string; readonly result: unknown }
  | { readonly ok: false; readonly code: 'RecordConflict'; readonly message: string };

/**
 * How long an Idempotency-Key is remembered (ms): a retry comes within seconds or minutes; after a
 * day the same key is a new request, and the stores drop the old record.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly result: unknown;
}

/**
 * The durable event log plus its snapshots. `append` resolves only once the events are on disk:
 * an acknowledged write survives a crash of the process or the machine. A store may commit
 * concurrent appends together (one transaction, one fsync); each still succeeds or fails alone.
 */
export interface EventStore<S> {
  append(request: AppendRequest): Promise<AppendOutcome>;
  /** Events with seq > afterSeq, in order, at most `limit`. */
  readAfter(afterSeq: number, limit: number): Promise<readonly StoredEvent[]>;
  /** Every event that concerns an incident: its own stream and its units' changes while assigned. */
  readIncidentTimeline(incidentId: string): Promise<readonly StoredEvent[]>;
  load(streams: readonly string[]): Promise<ReadonlyMap<string, Snapshot<S>>>;
  list(kind: string, statuses?: readonly string[], limit?: number): Promise<readonly S[]>;
  /** The record under a key, unless it was written `IDEMPOTENCY_TTL_MS` or more ago (by the store's clock). */
  idempotency(key: string): Promise<IdempotencyRecord | undefined>;
  headSeq(): Promise<number>;
  close(): Promise<void>;
}
