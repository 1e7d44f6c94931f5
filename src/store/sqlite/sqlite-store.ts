import Database from 'better-sqlite3';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import type { AppendOutcome, AppendRequest, EventStore, IdempotencyRecord, Projector, Snapshot } from '../event-store.ts';
import { SCHEMA } from './schema.ts';

interface EventRow {
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

const EVENT_SCHEMA_VERSION = 1;

const toStored = (r: EventRow): StoredEvent =>
  ({
    seq: r.seq,
    stream: r.stream,
    version: r.version,
    type: r.type,
    v: r.v,
    at: r.at,
    recordedAt: r.recorded_at,
    data: JSON.parse(r.data) as unknown,
    ...(r.meta === null ? {} : { meta: JSON.parse(r.meta) as Record<string, unknown> }),
  }) as StoredEvent;

const incidentOf = (e: PendingEvent): string | null => {
  const id = (e.data as { incidentId?: unknown }).incidentId;
  return typeof id === 'string' ? id : null;
};

class Conflict extends Error {
  constructor(readonly outcome: Exclude<AppendOutcome, { ok: true }>) {
    super(outcome.message);
  }
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a transaction is on
 * disk when COMMIT returns. better-sqlite3 is synchronous, so an append completes before the
 * caller's promise resolves and thus before any HTTP answer is sent.
 */
export class SqliteStore<S> implements EventStore<S> {
  private readonly db: Database.Database;
  private readonly q;

  constructor(
    path: string,
    private readonly projector: Projector<S>,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
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
      idemGet: this.db.prepare<[string], { fingerprint: string; result: string }>(
        'SELECT fingerprint, result FROM idempotency WHERE key = ?',
      ),
      idemPut: this.db.prepare('INSERT INTO idempotency (key, fingerprint, result, created_at) VALUES (?, ?, ?, ?)'),
      metaGet: this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      metaPut: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    this.rebuildIfStale();
  }

  /** The underlying connection, for adapters (accounts, positions) that keep their own tables here. */
  get database(): Database.Database {
    return this.db;
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    try {
      return Promise.resolve({ ok: true, events: this.db.transaction(() => this.write(request))() });
    } catch (e) {
      if (e instanceof Conflict) return Promise.resolve(e.outcome);
      return Promise.reject(e as Error);
    }
  }

  appendAll(requests: readonly AppendRequest[]): Promise<readonly StoredEvent[]> {
    try {
      return Promise.resolve(this.db.transaction(() => requests.flatMap((r) => this.write(r)))());
    } catch (e) {
      return Promise.reject(e instanceof Conflict ? new Error(e.message) : (e as Error));
    }
  }

  /**
   * Runs `change` (writes to an adapter's own tables in this database) and appends `events` in one
   * transaction, so a credential and its audit event are written together or not at all.
   */
  writeWith(events: readonly PendingEvent[], change: (db: Database.Database) => void): StoredEvent[] {
    return this.db.transaction(() => {
      change(this.db);
      return this.write({ expected: new Map(), events });
    })();
  }

  private write(request: AppendRequest): StoredEvent[] {
    if (request.idempotency) {
      const prior = this.q.idemGet.get(request.idempotency.key);
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
        throw new Conflict({
          ok: false,
          code: 'VersionConflict',
          message: `Stream ${stream} is at version ${actual}, not ${expected}`,
          details: { stream, expected, actual },
        });
      }
      versions.set(stream, actual);
    }
    const recordedAt = this.clock().toISOString();
    const meta = request.meta === undefined ? null : JSON.stringify(request.meta);
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
      const s = { ...e, seq: Number(info.lastInsertRowid), version, v: EVENT_SCHEMA_VERSION, recordedAt } as StoredEvent;
      stored.push(request.meta === undefined ? s : ({ ...s, meta: request.meta } as StoredEvent));
    }
    this.project(stored);
    if (request.idempotency) {
      const { key, fingerprint, result } = request.idempotency;
      this.q.idemPut.run(key, fingerprint, JSON.stringify(result), recordedAt);
    }
    return stored;
  }

  private project(events: readonly StoredEvent[]): void {
    const touched = new Map<string, { version: number; state: S | undefined }>();
    const current = (stream: string) => {
      let t = touched.get(stream);
      if (!t) {
        const row = this.q.snapshot.get(stream);
        t = row ? { version: row.version, state: JSON.parse(row.state) as S } : { version: 0, state: undefined };
        touched.set(stream, t);
      }
      return t;
    };
    for (const e of events) {
      for (const stream of [e.stream, ...this.projector.alsoAffects(e)]) {
        const t = current(stream);
        t.state = this.projector.evolve(t.state, e, stream);
        if (stream === e.stream) t.version = e.version;
      }
    }
    for (const [stream, { version, state }] of touched) {
      if (state === undefined) continue;
      this.q.upsert.run({
        stream,
        kind: this.projector.kindOf(stream),
        status: this.projector.statusOf(state) ?? null,
        version,
        state: JSON.stringify(state),
      });
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
    })();
  }

  readAfter(afterSeq: number, limit: number): Promise<readonly StoredEvent[]> {
    return Promise.resolve(this.q.after.all(afterSeq, limit).map(toStored));
  }

  readIncidentTimeline(incidentId: string): Promise<readonly StoredEvent[]> {
    return Promise.resolve(this.q.timeline.all(incidentId).map(toStored));
  }

  load(streams: readonly string[]): Promise<ReadonlyMap<string, Snapshot<S>>> {
    const out = new Map<string, Snapshot<S>>();
    for (const stream of streams) {
      const row = this.q.snapshot.get(stream);
      if (row) out.set(stream, { stream, version: row.version, state: JSON.parse(row.state) as S });
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
    const row = this.q.idemGet.get(key);
    return Promise.resolve(row ? { fingerprint: row.fingerprint, result: JSON.parse(row.result) as unknown } : undefined);
  }

  headSeq(): Promise<number> {
    return Promise.resolve(this.q.head.get()?.seq ?? 0);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
