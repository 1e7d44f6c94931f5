import { foldSnapshots } from '../fold-snapshots.ts';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import { IDEMPOTENCY_TTL_MS, type AppendOutcome, type AppendRequest, type EventStore, type IdempotencyRecord, type Projector, type Snapshot } from '../event-store.ts';
import type { RecordWrite } from '../record-writes.ts';
import type { Gate } from './gate.ts';
import { deepFreeze, json, parse } from './json.ts';
import { RecordGuardFailed, UndoLog } from './undo-log.ts';

/**
 * An event as the log keeps it: data and envelope as JSON text, so every read returns a fresh copy
 * (or, with `frozen` retention, as the frozen objects themselves).
 */
interface EventRow {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly at: string;
  readonly recordedAt: string;
  readonly incidentId: string | undefined;
  readonly data: unknown;
  /** `{actor, requestId?}` */
  readonly envelope: unknown;
}

interface SnapshotRow {
  readonly kind: string;
  readonly status: string | undefined;
  readonly version: number;
  readonly state: unknown;
}

/** How values are kept and given back: JSON text (a fresh copy per read), or deep-frozen objects shared by every read. */
interface Codec {
  readonly keep: (value: unknown) => unknown;
  readonly give: <T>(kept: unknown) => T;
}

const JSON_TEXT: Codec = { keep: json, give: (kept) => parse(kept as string) };
const FROZEN: Codec = { keep: deepFreeze, give: <T>(kept: unknown) => kept as T };

const EVENT_SCHEMA_VERSION = 1;

const storedFrom =
  (codec: Codec) =>
  (r: EventRow): StoredEvent =>
    ({
      seq: r.seq,
      stream: r.stream,
      version: r.version,
      type: r.type,
      v: EVENT_SCHEMA_VERSION,
      at: r.at,
      recordedAt: r.recordedAt,
      data: codec.give(r.data),
      ...codec.give<object>(r.envelope),
    }) as StoredEvent;

const incidentOf = (e: PendingEvent): string | undefined => {
  const id = (e.data as { incidentId?: unknown }).incidentId;
  return typeof id === 'string' ? id : undefined;
};

/** Applies one record write inside an append, registering its undo (see open-memory.ts). */
export type MemoryRecordApplier = (write: RecordWrite, undo: UndoLog) => void;

/**
 * What a long replay may let go of (the simulator's year): by default everything is kept. With
 * `keepEvents: false` an event is folded into its snapshots and then dropped (seq still counts it,
 * `readAfter` and timelines return only what was kept); `forget` drops a stream's snapshot and
 * version once its state says it is finished (a closed incident), as if the stream had never been.
 */
export interface MemoryRetention<S = unknown> {
  readonly keepEvents?: boolean;
  /**
   * Keep events and snapshots as deep-frozen objects instead of JSON text: every read returns the
   * same object, which a caller cannot change (it throws). The core's `evolve` builds a new state
   * and never changes the one it is given, so folding needs no copy; the simulator, which reads
   * far more than it writes, saves the text round trip of every read and write.
   */
  readonly frozen?: boolean;
  readonly forget?: (stream: string, state: S) => boolean;
}

/**
 * The event log and its snapshots in memory, with the SQLite store's semantics: appends take effect
 * one at a time in the order they were called, each after the caller's turn of the event loop, and
 * each whole or not at all (its events, snapshots, idempotency record and record writes); seq is
 * gap-free; snapshots are folded by the projector in the append, `alsoAffects` included.
 */
export class MemoryStore<S> implements EventStore<S> {
  private readonly log: EventRow[] = [];
  /** The last seq given: the log's length unless events are dropped after folding. */
  private seq = 0;
  /** Each stream's version: that of its last own event (a stream only reached through alsoAffects has none). */
  private readonly versions = new Map<string, number>();
  private readonly timelines = new Map<string, EventRow[]>();
  /** In the order the streams got their first snapshot, which is the order `list` answers in. */
  private readonly snapshots = new Map<string, SnapshotRow>();
  private readonly kinds = new Map<string, Set<string>>();
  /** In the order written (a replaced key goes to the end), so the expired ones are at the front. */
  private readonly keys = new Map<string, { readonly fingerprint: string; readonly result: string; readonly at: number }>();
  /** The last append not yet settled: close() waits for it, so an append made before close is never dropped. */
  private last: Promise<unknown> = Promise.resolve();
  private closing = false;
  private readonly codec: Codec;
  private readonly toStored: (r: EventRow) => StoredEvent;

  constructor(
    private readonly projector: Projector<S>,
    private readonly applyRecord: MemoryRecordApplier,
    private readonly gate: Gate,
    private readonly clock: () => number = () => Date.now(),
    private readonly retention: MemoryRetention<S> = {},
  ) {
    this.codec = retention.frozen === true ? FROZEN : JSON_TEXT;
    this.toStored = storedFrom(this.codec);
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    if (this.closing) return Promise.reject(new Error('The store is closed: nothing was written'));
    // Microtasks run in the order they were queued: appends take effect in call order.
    const outcome = Promise.resolve().then(() => this.commit(request));
    this.last = outcome.catch(() => undefined);
    return outcome;
  }

  private commit(request: AppendRequest): AppendOutcome {
    this.gate.check();
    if (request.idempotency) {
      this.purgeIdempotency();
      const prior = this.liveKey(request.idempotency.key);
      if (prior) {
        return {
          ok: false,
          code: 'IdempotencyKeyReplayed',
          message: 'This Idempotency-Key was already used',
          result: parse(prior.result),
        };
      }
    }
    for (const [stream, expected] of request.expected) {
      const actual = this.versions.get(stream) ?? 0;
      if (actual !== expected) {
        return {
          ok: false,
          code: 'VersionConflict',
          message: `Stream ${stream} is at version ${actual}, not ${expected}`,
          details: { stream, expected, actual },
        };
      }
    }
    const undo = new UndoLog();
    try {
      for (const r of request.records ?? []) this.applyRecord(r, undo);
      const rows = this.write(request, undo);
      this.project(rows, undo);
      if (request.idempotency) {
        const { key, fingerprint, result } = request.idempotency;
        const was = this.keys.get(key);
        this.keys.delete(key);
        undo.onRollback(() => (was === undefined ? undefined : this.keys.set(key, was)));
        undo.set(this.keys, key, { fingerprint, result: json(result), at: this.clock() });
      }
      return { ok: true, events: rows.map(this.toStored) };
    } catch (e) {
      undo.rollback();
      if (e instanceof RecordGuardFailed) return { ok: false, code: 'RecordConflict', message: e.message };
      throw e;
    }
  }

  private write(request: AppendRequest, undo: UndoLog): EventRow[] {
    const recordedAt = new Date(this.clock()).toISOString();
    const envelope = this.codec.keep(
      request.requestId === undefined ? { actor: request.actor } : { actor: request.actor, requestId: request.requestId },
    );
    const rows: EventRow[] = [];
    for (const e of request.events) {
      const version = (this.versions.get(e.stream) ?? 0) + 1;
      const row: EventRow = {
        seq: this.seq + 1,
        stream: e.stream,
        version,
        type: e.type,
        at: e.at,
        recordedAt,
        incidentId: incidentOf(e),
        data: this.codec.keep(e.data),
        envelope,
      };
      undo.set(this.versions, e.stream, version);
      this.seq++;
      undo.onRollback(() => this.seq--);
      rows.push(row);
      if (this.retention.keepEvents === false) continue;
      this.log.push(row);
      undo.onRollback(() => this.log.pop());
      if (row.incidentId !== undefined) {
        let timeline = this.timelines.get(row.incidentId);
        if (!timeline) undo.set(this.timelines, row.incidentId, (timeline = []));
        const t = timeline;
        t.push(row);
        undo.onRollback(() => t.pop());
      }
    }
    return rows;
  }

  /** Folds the new events into the snapshots of their streams and of the streams they also affect. */
  private project(rows: readonly EventRow[], undo: UndoLog): void {
    const touched = foldSnapshots(this.projector, rows.map(this.toStored), (stream) => {
      const row = this.snapshots.get(stream);
      return row ? { version: row.version, state: this.codec.give<S>(row.state) } : { version: 0, state: undefined };
    });
    for (const [stream, { version, state }] of touched) {
      if (state === undefined) continue;
      const prior = this.snapshots.get(stream);
      if (this.retention.forget?.(stream, state)) {
        this.forget(stream, prior, undo);
        continue;
      }
      const kind = prior?.kind ?? this.projector.kindOf(stream);
      undo.set(this.snapshots, stream, { kind, status: this.projector.statusOf(state), version, state: this.codec.keep(state) });
      if (!prior) {
        let streams = this.kinds.get(kind);
        if (!streams) undo.set(this.kinds, kind, (streams = new Set()));
        const s = streams;
        s.add(stream);
        undo.onRollback(() => s.delete(stream));
      }
    }
  }

  private forget(stream: string, prior: SnapshotRow | undefined, undo: UndoLog): void {
    const version = this.versions.get(stream);
    if (version !== undefined) {
      this.versions.delete(stream);
      undo.onRollback(() => this.versions.set(stream, version));
    }
    if (prior === undefined) return;
    this.snapshots.delete(stream);
    undo.onRollback(() => this.snapshots.set(stream, prior));
    const streams = this.kinds.get(prior.kind);
    if (streams?.delete(stream)) undo.onRollback(() => streams.add(stream));
  }

  async readAfter(afterSeq: number, limit: number): Promise<readonly StoredEvent[]> {
    this.gate.check();
    // Row i holds seq i + 1. A negative limit means none, as in SQL.
    const from = Math.max(0, Math.floor(afterSeq));
    return this.log.slice(from, limit < 0 ? undefined : from + limit).map(this.toStored);
  }

  async readIncidentTimeline(incidentId: string): Promise<readonly StoredEvent[]> {
    this.gate.check();
    return (this.timelines.get(incidentId) ?? []).map(this.toStored);
  }

  async load(streams: readonly string[]): Promise<ReadonlyMap<string, Snapshot<S>>> {
    this.gate.check();
    const out = new Map<string, Snapshot<S>>();
    for (const stream of streams) {
      const row = this.snapshots.get(stream);
      if (row) out.set(stream, { stream, version: row.version, state: this.codec.give<S>(row.state) });
    }
    return out;
  }

  async list(kind: string, statuses?: readonly string[], limit = 10_000): Promise<readonly S[]> {
    this.gate.check();
    const wanted = statuses && statuses.length > 0 ? new Set(statuses) : undefined;
    const out: S[] = [];
    for (const stream of this.kinds.get(kind) ?? []) {
      if (limit >= 0 && out.length >= limit) break;
      const row = this.snapshots.get(stream)!;
      if (wanted && (row.status === undefined || !wanted.has(row.status))) continue;
      out.push(this.codec.give<S>(row.state));
    }
    return out;
  }

  async idempotency(key: string): Promise<IdempotencyRecord | undefined> {
    this.gate.check();
    const row = this.liveKey(key);
    return row && { fingerprint: row.fingerprint, result: parse(row.result) };
  }

  private liveKey(key: string): { readonly fingerprint: string; readonly result: string } | undefined {
    const row = this.keys.get(key);
    return row !== undefined && this.clock() - row.at < IDEMPOTENCY_TTL_MS ? row : undefined;
  }

  /** Drops the expired records, oldest first. */
  private purgeIdempotency(): void {
    const now = this.clock();
    for (const [key, row] of this.keys) {
      if (now - row.at < IDEMPOTENCY_TTL_MS) break;
      this.keys.delete(key);
    }
  }

  async headSeq(): Promise<number> {
    this.gate.check();
    return this.seq;
  }

  /** Applies the appends already made, then closes every table of the store. */
  async close(): Promise<void> {
    this.closing = true;
    await this.last;
    this.gate.close();
  }
}
