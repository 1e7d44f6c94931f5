import type pg from 'pg';
import type { StoredEvent } from '../../core/events.ts';
import type { AppendOutcome, AppendRequest, EventStore, IdempotencyRecord, Projector, Snapshot } from '../event-store.ts';
import { foldSnapshots } from '../fold-snapshots.ts';
import type { RecordWrite } from '../record-writes.ts';
import type { StorageUnavailable } from '../storage-unavailable.ts';
import { type EventRow, EVENT_COLUMNS, eventsAfter, insertEvents, toStored } from './postgres-event-rows.ts';
import { pgStorageFailureOf } from './postgres-errors.ts';
import { PostgresIdempotency } from './postgres-idempotency.ts';
import { rebuildIfStale } from './postgres-rebuild.ts';
import { listSnapshots, putMeta, readSnapshots, type SnapshotState, upsertSnapshots } from './postgres-snapshots.ts';
import { RecordGuardFailed } from './record-guard.ts';

/** The transaction lock every append takes first ("SAMLOG"): commits to the log go one at a time, across nodes. */
export const LOG_LOCK = 0x53414d4c4f47;
/** NOTIFY channel on which each commit announces the seq the log has grown to. */
export const LOG_CHANNEL = 'samaritan_log';
const EVENT_SCHEMA_VERSION = 1;

class Conflict extends Error {
  constructor(readonly outcome: Exclude<AppendOutcome, { ok: true }>) {
    super(outcome.message);
  }
}

/** Applies one record write on the append's connection, inside its transaction (see open-postgres.ts). */
export type PgRecordApplier = (client: pg.PoolClient, write: RecordWrite) => Promise<void>;

interface Pending {
  readonly request: AppendRequest;
  readonly resolve: (outcome: AppendOutcome) => void;
  readonly reject: (error: Error) => void;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * The event log on PostgreSQL. Appends that arrive while a commit is in flight are committed
 * together in the next transaction (group commit), each request in its own savepoint so that a
 * conflict refuses that request alone; every promise resolves after the COMMIT.
 *
 * Several nodes append to one database: each transaction first takes LOG_LOCK, then gives seqs
 * after the highest committed one. Commits are thus serialised, seq order is commit order and a
 * reader never sees seq n+1 before n. The same transaction NOTIFYs LOG_CHANNEL with its last seq,
 * delivered at commit. No snapshot is kept in memory between transactions: another node may have
 * committed since.
 */
export class PostgresStore<S> implements EventStore<S> {
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  /** The last write failed for a storage reason, and no write has succeeded since. */
  private failing = false;
  private readonly keys: PostgresIdempotency;
  /** Set by open-postgres.ts: the tables beside the log that record writes go to. */
  applyRecord: PgRecordApplier = (_client, w) => Promise.reject(new Error(`no table takes record write ${w.type}`));
  /**
   * Awaited once a group's transaction has ended, committed or not, with the record writes its
   * requests carried, before any of them is answered: the tables that mirror rows in memory read
   * them again, so that a caller reads its own writes (set by open-postgres.ts).
   */
  settle: (records: readonly RecordWrite[]) => Promise<void> = () => Promise.resolve();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly projector: Projector<S>,
    private readonly clock: () => number,
  ) {
    this.keys = new PostgresIdempotency(clock);
  }

  /** The store on `pool`'s database (migrated), its snapshots rebuilt first if they are stale. */
  static async open<S>(pool: pg.Pool, projector: Projector<S>, clock: () => number = () => Date.now()): Promise<PostgresStore<S>> {
    await rebuildIfStale(pool, projector, LOG_LOCK);
    return new PostgresStore(pool, projector, clock);
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new Error('The store is closed: nothing was written'));
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.kick();
    });
  }

  /** Starts committing the queue unless a commit is in flight (the queue then goes next). */
  private kick(): void {
    if (this.running !== undefined) return;
    this.running = (async () => {
      // The appends of this turn of the event loop go together in the first transaction.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.commit(batch);
      }
    })().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  /** Commits `batch` in one transaction; answers each request once the COMMIT is done. */
  private async commit(batch: readonly Pending[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      const failure = this.failed(e);
      for (const p of batch) p.reject(failure ?? asError(e));
      return;
    }
    const results: (AppendOutcome | Error)[] = [];
    // One request alone needs no savepoint: refused, the whole transaction is rolled back.
    const alone = batch.length === 1;
    let refusedAlone = false;
    let released = false;
    try {
      // One round trip each for the opening and the closing statements (no parameters: constants only).
      const opened = (await client.query(
        // READ COMMITTED whatever the server's default: the head must be read after the lock is held.
        `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${LOG_LOCK}); SELECT coalesce(max(seq), 0) AS head FROM events`,
      )) as unknown as pg.QueryResult<{ head: number }>[];
      const start = opened[2]!.rows[0]!.head;
      let head = start;
      const folded = new Map<string, SnapshotState<S>>();
      for (const { request } of batch) {
        if (!alone) await client.query('SAVEPOINT request');
        try {
          const { events, snapshots } = await this.write(client, request, head, folded);
          if (!alone) await client.query('RELEASE SAVEPOINT request');
          head += events.length;
          for (const [k, v] of snapshots) folded.set(k, v);
          results.push({ ok: true, events });
        } catch (e) {
          // A lost connection or a failing server fails the whole group, as the transaction is gone.
          if (pgStorageFailureOf(e) !== undefined) throw e;
          if (alone) refusedAlone = true;
          else await client.query('ROLLBACK TO SAVEPOINT request; RELEASE SAVEPOINT request');
          if (e instanceof Conflict) results.push(e.outcome);
          else if (e instanceof RecordGuardFailed) results.push({ ok: false, code: 'RecordConflict', message: e.message });
          else results.push(asError(e));
        }
      }
      if (refusedAlone) {
        await client.query('ROLLBACK');
      } else {
        await client.query(
          head > start
            ? `INSERT INTO meta (key, value) VALUES ('projected_seq', '${head}') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
               SELECT pg_notify('${LOG_CHANNEL}', '${head}'); COMMIT`
            : 'COMMIT',
        );
      }
    } catch (e) {
      // COMMIT itself may fail with the connection lost: the outcome is then unknown to us, and the
      // callers are told it failed (a retry under its Idempotency-Key is answered by the record).
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(rolledBack ? undefined : asError(e));
      released = true;
      const failure = this.failed(e);
      await this.settled(batch);
      for (const p of batch) p.reject(failure ?? asError(e));
      return;
    } finally {
      if (!released) client.release();
    }
    this.failing = false;
    await this.settled(batch);
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r instanceof Error) p.reject(r);
      else p.resolve(r);
    });
  }

  /** Lets the mirrored tables read again what `batch`'s record writes touched; a failure there is theirs to retry. */
  private async settled(batch: readonly Pending[]): Promise<void> {
    const records = batch.flatMap((p) => p.request.records ?? []);
    if (records.length === 0) return;
    try {
      await this.settle(records);
    } catch (e) {
      if (pgStorageFailureOf(e) === undefined) process.stderr.write(`after an append, a table beside the log could not follow it: ${String(e)}\n`);
    }
  }

  /** Writes one request on `client` after seq `head`; `folded` holds the snapshots this group already wrote. */
  private async write(
    client: pg.PoolClient,
    request: AppendRequest,
    head: number,
    folded: ReadonlyMap<string, SnapshotState<S>>,
  ): Promise<{ events: StoredEvent[]; snapshots: Map<string, SnapshotState<S>> }> {
    if (request.idempotency) {
      const prior = await this.keys.get(client, request.idempotency.key);
      if (prior) {
        throw new Conflict({ ok: false, code: 'IdempotencyKeyReplayed', message: 'This Idempotency-Key was already used', result: prior.result });
      }
    }
    const versions = await streamVersions(client, [...new Set([...request.expected.keys(), ...request.events.map((e) => e.stream)])]);
    for (const [stream, expected] of request.expected) {
      const actual = versions.get(stream) ?? 0;
      if (actual !== expected) {
        throw new Conflict({
          ok: false,
          code: 'VersionConflict',
          message: `Stream ${stream} is at version ${actual}, not ${expected}`,
          details: { stream, expected, actual },
        });
      }
    }
    for (const r of request.records ?? []) await this.applyRecord(client, r);
    const recordedAt = new Date(this.clock()).toISOString();
    const envelope = request.requestId === undefined ? { actor: request.actor } : { actor: request.actor, requestId: request.requestId };
    const rows = request.events.map((event, i) => {
      const version = (versions.get(event.stream) ?? 0) + 1;
      versions.set(event.stream, version);
      return { event, seq: head + i + 1, version };
    });
    await insertEvents(client, rows, { v: EVENT_SCHEMA_VERSION, recordedAt, meta: JSON.stringify(envelope) });
    const events = rows.map(
      ({ event, seq, version }) => ({ ...event, seq, version, v: EVENT_SCHEMA_VERSION, recordedAt, ...envelope }) as StoredEvent,
    );
    const snapshots = await this.project(client, events, folded);
    if (request.idempotency) {
      const { key, fingerprint, result } = request.idempotency;
      await this.keys.put(client, key, fingerprint, result, recordedAt);
    }
    return { events, snapshots };
  }

  /** Folds `events` into the snapshots they touch, read first in one statement, and writes them. */
  private async project(
    client: pg.PoolClient,
    events: readonly StoredEvent[],
    folded: ReadonlyMap<string, SnapshotState<S>>,
  ): Promise<Map<string, SnapshotState<S>>> {
    const touched = new Set<string>();
    for (const e of events) for (const stream of [e.stream, ...this.projector.alsoAffects(e)]) touched.add(stream);
    const read = await readSnapshots<S>(client, [...touched].filter((s) => !folded.has(s)));
    const none = { version: 0, state: undefined };
    const next = foldSnapshots(this.projector, events, (stream) => folded.get(stream) ?? read.get(stream) ?? none);
    return upsertSnapshots(client, this.projector, next);
  }

  /** Notes a failure; returns its StorageUnavailable form when it is the server's. */
  private failed(e: unknown): StorageUnavailable | undefined {
    const failure = pgStorageFailureOf(e);
    if (failure !== undefined) this.failing = true;
    return failure;
  }

  /** A call on a table beside the log met a server that is down (open-postgres.ts). */
  noticeStorageFailure(): void {
    this.failing = true;
  }

  /**
   * Whether a write commits now, by a cheap probe: a read that says whether the server is a
   * primary (a standby takes no write). Once a write failed for a storage reason, a small write
   * of its own (meta `probed_at`) answers instead, so that the answer follows the server.
   */
  async writable(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const { rows } = await this.pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (rows[0]?.standby === true) return false;
      if (this.failing) await putMeta(this.pool, 'probed_at', new Date(this.clock()).toISOString());
    } catch (e) {
      if (this.failed(e) === undefined) throw e;
      return false;
    }
    this.failing = false;
    return true;
  }

  readAfter(afterSeq: number, limit: number): Promise<readonly StoredEvent[]> {
    return eventsAfter(this.pool, afterSeq, limit);
  }

  async readIncidentTimeline(incidentId: string): Promise<readonly StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE incident_id = $1 ORDER BY seq`, [incidentId]);
    return rows.map(toStored);
  }

  async load(streams: readonly string[]): Promise<ReadonlyMap<string, Snapshot<S>>> {
    const read = await readSnapshots<S>(this.pool, streams);
    const out = new Map<string, Snapshot<S>>();
    for (const stream of streams) {
      const snap = read.get(stream);
      if (snap?.state !== undefined) out.set(stream, { stream, version: snap.version, state: snap.state });
    }
    return out;
  }

  list(kind: string, statuses?: readonly string[], limit = 10_000): Promise<readonly S[]> {
    return listSnapshots<S>(this.pool, kind, statuses, limit);
  }

  idempotency(key: string): Promise<IdempotencyRecord | undefined> {
    return this.keys.get(this.pool, key);
  }

  async headSeq(): Promise<number> {
    return (await this.pool.query<{ head: number }>('SELECT coalesce(max(seq), 0) AS head FROM events')).rows[0]!.head;
  }

  /** Commits what is queued, then refuses further appends; the pool is the opener's to end. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running !== undefined) await this.running;
  }
}

/** The current version of each of `streams` that has events. */
async function streamVersions(client: pg.PoolClient, streams: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await client.query<{ stream: string; version: number }>(
    'SELECT stream, max(version) AS version FROM events WHERE stream = ANY($1::text[]) GROUP BY stream',
    [streams],
  );
  return new Map(rows.map((r) => [r.stream, r.version]));
}
