import Database from 'better-sqlite3';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import type { AppendOutcome, AppendRequest, EventStore, IdempotencyRecord, Projector, Snapshot } from '../event-store.ts';
import { SqliteIdempotency } from './sqlite-idempotency.ts';
import type { RecordWrite } from '../record-writes.ts';
import { SCHEMA } from './schema.ts';
import { SnapshotCache, type CachedSnapshot } from './snapshot-cache.ts';
import { foldSnapshots } from '../fold-snapshots.ts';
import { StorageUnavailable } from '../storage-unavailable.ts';
import { storageFailureOf } from './storage-errors.ts';
import { toStored, type EventRow } from './event-rows.ts';

const EVENT_SCHEMA_VERSION = 1;
/** How often a read looks for commits by another process (ms). */
const OTHER_WRITERS_EVERY_MS = 50;

const incidentOf = (e: PendingEvent): string | null => {
  const id = (e.data as { incidentId?: unknown }).incidentId;
  return typeof id === 'string' ? id : null;
};

/** Freezes a parsed JSON value all the way down, so that a shared snapshot cannot be changed by a reader. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

class Conflict extends Error {
  constructor(readonly outcome: Exclude<AppendOutcome, { ok: true }>) {
    super(outcome.message);
  }
}

/** Thrown by a record write whose guard does not hold (a receipt already recorded): the request is refused. */
export class RecordGuardFailed extends Error {}

/** Applies one record write inside the append's transaction (see open-sqlite.ts). */
export type RecordApplier = (write: RecordWrite) => void;

interface Pending {
  readonly request: AppendRequest;
  readonly resolve: (outcome: AppendOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The embedded event log: one SQLite file in WAL mode with synchronous=FULL, so a transaction is on
 * disk when COMMIT returns. Appends that arrive in the same turn of the event loop are committed
 * together (group commit): one transaction and one fsync for all of them, each request in its own
 * savepoint so that a conflict refuses that request alone. Every promise resolves after the COMMIT.
 */
export class SqliteStore<S> implements EventStore<S> {
  private readonly db: Database.Database;
  private readonly q;
  /** Idempotency-Key records, with their expiry. */
  private readonly keys: SqliteIdempotency;
  private queue: Pending[] = [];
  private readonly writeOne: (request: AppendRequest) => StoredEvent[];
  /** Parsed snapshots as committed; `batch` holds those of the group being written, `staged` the current request's. */
  private readonly cache = new SnapshotCache<S>();
  private batch = new Map<string, CachedSnapshot<S>>();
  private staged = new Map<string, CachedSnapshot<S>>();
  /** SQLite's count of commits by other connections (another process on the same file): the cache is then dropped. */
  private dataVersion = -1;
  private lookedAt = -Infinity;
  /** The last write failed for a storage reason, and no write has succeeded since. */
  private failing = false;
  /** Set by open-sqlite.ts: the tables beside the log that record writes go to. */
  applyRecord: RecordApplier = (w) => {
    throw new Error(`no table takes record write ${w.type}`);
  };
  /** Called after a commit that erased personal data (the WAL is checkpointed so no copy lingers). */
  afterErase: () => void = () => {};

  constructor(
    path: string,
    private readonly projector: Projector<S>,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    this.keys = new SqliteIdempotency(this.db, clock);
    this.q = {
      version: this.db.prepare<[string], { version: number | null }>('SELECT max(version) AS version FROM events WHERE stream = ?'),
      insert: this.db.prepare(
        `INSERT INTO events (stream, version, type, v, at, recorded_at, incident_id, data, meta)
         VALUES (@stream, @version, @type, @v, @at, @recordedAt, @incidentId, @data, @meta)`,
      ),
      snapshot: this.db.prepare<[string], { stream: string; version: number; state: string }>(
        'SELECT stream, version, state FROM snapshots WHERE stream = ?',
      ),
      upsert: this.db.prepare(
        `INSERT INTO snapshots (stream, kind, status, version, state) VALUES (@stream, @kind, @status, @version, @state)
         ON CONFLICT (stream) DO UPDATE SET status = excluded.status, version = excluded.version, state = excluded.state`,
      ),
      after: this.db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      timeline: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE incident_id = ? ORDER BY seq'),
      head: this.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events'),
      metaGet: this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      metaPut: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
    };
    // Nested in the batch's transaction, a transaction function runs in a savepoint of its own.
    this.writeOne = this.db.transaction((request: AppendRequest) => this.write(request));
    this.rebuildIfStale();
  }

  /** The connection, for the tables kept beside the log in the same file (open-sqlite.ts). */
  get database(): Database.Database {
    return this.db;
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    if (!this.db.open) return Promise.reject(new Error('The store is closed: nothing was written'));
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits every queued append in one transaction; answers each once the COMMIT (and its fsync) is done. */
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const results: (AppendOutcome | Error)[] = [];
    let erased = false;
    try {
      // IMMEDIATE: the write lock is taken first, so a commit by another process on the same file
      // makes this wait (busy_timeout) instead of failing, and no snapshot read here can be stale.
      this.db.transaction(() => {
        this.noticeOtherWriters();
        for (const { request } of batch) {
          this.staged = new Map();
          try {
            results.push({ ok: true, events: this.writeOne(request) });
            for (const [k, v] of this.staged) this.batch.set(k, v);
            erased ||= request.records?.some((r) => r.type === 'profile.erase') === true;
          } catch (e) {
            this.staged = new Map(); // rolled back with its savepoint: no read may see these snapshots
            // An error that rolled back the whole transaction (disk full, I/O) fails the whole group:
            // going on would commit the later requests on their own, then report all as failed.
            if (!this.db.inTransaction) throw e;
            if (e instanceof Conflict) results.push(e.outcome);
            else if (e instanceof RecordGuardFailed) results.push({ ok: false, code: 'RecordConflict', message: e.message });
            else results.push(this.failed(e) ?? (e instanceof Error ? e : new Error(String(e))));
          }
        }
      }).immediate();
    } catch (e) {
      this.staged = new Map();
      this.batch = new Map();
      this.cache.clear();
      const failure = this.failed(e);
      for (const p of batch) p.reject(failure ?? (e instanceof Error ? e : new Error(String(e))));
      return;
    }
    this.succeeded();
    for (const [k, v] of this.batch) this.cache.set(k, v);
    this.batch = new Map();
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r instanceof Error) p.reject(r);
      else p.resolve(r);
    });
    if (erased) {
      try {
        this.afterErase();
      } catch (e) {
        process.stderr.write(`after an erasure, the WAL checkpoint failed: ${String(e)}\n`);
      }
    }
  }

  /** Notes a write that failed; returns its StorageUnavailable form when the failure is the storage's. */
  private failed(e: unknown): StorageUnavailable | undefined {
    const failure = storageFailureOf(e);
    if (failure !== undefined) this.failing = true;
    return failure;
  }

  private succeeded(): void {
    this.failing = false;
  }

  /** A write to this file beside the log (the tables of open-sqlite.ts) failed for a storage reason. */
  noticeStorageFailure(): void {
    this.failing = true;
  }

  /**
   * Whether a write commits now. While the last write went through, yes, from memory: a readiness
   * check polled every few seconds must not cost a write and an fsync each. Once a write failed for
   * a storage reason, it writes a row of its own (meta `probed_at`, fsynced like any commit) on each
   * call, so that the answer follows the disk: false while it is full or read-only, true again once
   * it recovers.
   */
  writable(): Promise<boolean> {
    if (!this.db.open) return Promise.resolve(false);
    if (!this.failing) return Promise.resolve(true);
    try {
      this.q.metaPut.run('probed_at', new Date(this.clock()).toISOString());
    } catch (e) {
      if (this.failed(e) === undefined) throw e;
      return Promise.resolve(false);
    }
    this.succeeded();
    return Promise.resolve(true);
  }

  private write(request: AppendRequest): StoredEvent[] {
    if (request.idempotency) {
      const prior = this.keys.get(request.idempotency.key);
      if (prior) {
        throw new Conflict({
          ok: false,
          code: 'IdempotencyKeyReplayed',
          message: 'This Idempotency-Key was already used',
          result: JSON.parse(prior.result) as unknown,
        });
      }
    }
    const versions = new Map<string, number>();
    for (const [stream, expected] of request.expected) {
      const actual = this.q.version.get(stream)?.version ?? 0;
      if (actual !== expected) {
        this.cache.delete(stream);
        throw new Conflict({
          ok: false,
          code: 'VersionConflict',
          message: `Stream ${stream} is at version ${actual}, not ${expected}`,
          details: { stream, expected, actual },
        });
      }
      versions.set(stream, actual);
    }
    for (const r of request.records ?? []) this.applyRecord(r);
    const recordedAt = new Date(this.clock()).toISOString();
    const envelope = request.requestId === undefined ? { actor: request.actor } : { actor: request.actor, requestId: request.requestId };
    const meta = JSON.stringify(envelope);
    const stored: StoredEvent[] = [];
    for (const e of request.events) {
      const version = (versions.get(e.stream) ?? this.q.version.get(e.stream)?.version ?? 0) + 1;
      versions.set(e.stream, version);
      const info = this.q.insert.run({
        stream: e.stream,
        version,
        type: e.type,
        v: EVENT_SCHEMA_VERSION,
        at: e.at,
        recordedAt,
        incidentId: incidentOf(e),
        data: JSON.stringify(e.data),
        meta,
      });
      stored.push({ ...e, seq: Number(info.lastInsertRowid), version, v: EVENT_SCHEMA_VERSION, recordedAt, ...envelope } as StoredEvent);
    }
    this.project(stored);
    if (request.idempotency) {
      const { key, fingerprint, result } = request.idempotency;
      this.keys.put(key, fingerprint, result, recordedAt);
    }
    return stored;
  }

  /** A stream's snapshot as this transaction sees it: this request's, this group's, cached, or read. */
  private snapshotOf(stream: string): CachedSnapshot<S> {
    const known = this.staged.get(stream) ?? this.batch.get(stream) ?? this.cache.get(stream);
    if (known !== undefined) return known;
    const row = this.q.snapshot.get(stream);
    const read = row ? { version: row.version, state: deepFreeze(JSON.parse(row.state) as S) } : { version: 0, state: undefined };
    if (!this.db.inTransaction) this.cache.set(stream, read);
    return read;
  }

  /**
   * Drops the cache when another connection (another process) committed to the file since we last
   * looked: before every group commit, and on reads at most every few milliseconds (a stale read
   * that leads to a decision is caught by the version check of its append, which also evicts it).
   */
  private noticeOtherWriters(force = true): void {
    const now = performance.now();
    if (!force && now - this.lookedAt < OTHER_WRITERS_EVERY_MS) return;
    this.lookedAt = now;
    const v = this.q.dataVersion.get() as number;
    if (v !== this.dataVersion) this.cache.clear();
    this.dataVersion = v;
  }

  private project(events: readonly StoredEvent[]): void {
    const touched = foldSnapshots(this.projector, events, (stream) => this.snapshotOf(stream));
    for (const [stream, { version, state }] of touched) {
      if (state === undefined) continue;
      const json = JSON.stringify(state);
      // The cached state is the stored one, parsed back and frozen: it shares nothing with the
      // caller's objects, and no reader can change it.
      this.staged.set(stream, { version, state: deepFreeze(JSON.parse(json) as S) });
      this.q.upsert.run({ stream, kind: this.projector.kindOf(stream), status: this.projector.statusOf(state) ?? null, version, state: json });
    }
    const last = events.at(-1);
    if (last) this.q.metaPut.run('projected_seq', String(last.seq));
  }

  /**
   * Snapshots are derived data: rebuild them from the log when their shape changed, they lag it, or
   * some are missing (deleting a snapshot row clears projected_seq, see the schema's trigger).
   */
  private rebuildIfStale(): void {
    const schema = this.q.metaGet.get('projection_schema')?.value;
    const projected = Number(this.q.metaGet.get('projected_seq')?.value ?? 0);
    const head = this.q.head.get()?.seq ?? 0;
    const emptied = head > 0 && this.db.prepare('SELECT 1 FROM snapshots LIMIT 1').get() === undefined;
    if (schema === String(this.projector.schemaVersion) && projected === head && !emptied) return;
    this.cache.clear();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM snapshots');
      const page = 5000;
      for (let after = 0; ; ) {
        const rows = this.q.after.all(after, page);
        if (rows.length === 0) break;
        this.project(rows.map(toStored));
        after = rows[rows.length - 1]!.seq;
      }
      this.q.metaPut.run('projection_schema', String(this.projector.schemaVersion));
      this.q.metaPut.run('projected_seq', String(head));
    }).immediate();
    this.staged = new Map();
  }

  readAfter(afterSeq: number, limit: number): Promise<readonly StoredEvent[]> {
    return Promise.resolve(this.q.after.all(afterSeq, limit).map(toStored));
  }

  readIncidentTimeline(incidentId: string): Promise<readonly StoredEvent[]> {
    return Promise.resolve(this.q.timeline.all(incidentId).map(toStored));
  }

  load(streams: readonly string[]): Promise<ReadonlyMap<string, Snapshot<S>>> {
    this.noticeOtherWriters(false);
    const out = new Map<string, Snapshot<S>>();
    for (const stream of streams) {
      const snap = this.snapshotOf(stream);
      if (snap.state !== undefined) out.set(stream, { stream, version: snap.version, state: snap.state });
    }
    return Promise.resolve(out);
  }

  list(kind: string, statuses?: readonly string[], limit = 10_000): Promise<readonly S[]> {
    const filter = statuses && statuses.length > 0 ? ` AND status IN (${statuses.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare<unknown[], { state: string }>(`SELECT state FROM snapshots WHERE kind = ?${filter} ORDER BY rowid LIMIT ?`)
      .all(kind, ...(statuses ?? []), limit);
    return Promise.resolve(rows.map((r) => JSON.parse(r.state) as S));
  }

  idempotency(key: string): Promise<IdempotencyRecord | undefined> {
    return Promise.resolve(this.keys.record(key));
  }

  headSeq(): Promise<number> {
    return Promise.resolve(this.q.head.get()?.seq ?? 0);
  }

  /** Commits what is queued, then closes: an append accepted before close is never dropped. */
  close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
