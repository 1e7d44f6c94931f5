import type { FoldedSnapshot } from '../fold-snapshots.ts';
import type { Projector } from '../event-store.ts';
import type { Queryable } from './pg-pool.ts';

/** A stream's snapshot as the fold needs it: version 0 and no state when it has none. */
export interface SnapshotState<S> {
  readonly version: number;
  readonly state: S | undefined;
}

/** The snapshots of `streams` that exist, read in one statement. */
export async function readSnapshots<S>(db: Queryable, streams: readonly string[]): Promise<Map<string, SnapshotState<S>>> {
  const out = new Map<string, SnapshotState<S>>();
  if (streams.length === 0) return out;
  const { rows } = await db.query<{ stream: string; version: number; state: S }>(
    'SELECT stream, version, state FROM snapshots WHERE stream = ANY($1::text[])',
    [streams],
  );
  for (const r of rows) out.set(r.stream, { version: r.version, state: r.state });
  return out;
}

/**
 * Writes the folded snapshots in one statement, in the order given (the order streams got their
 * first snapshot is the order of `ord`, which an update keeps). A stream whose state folded to
 * nothing is left as it was, as in the other stores. Returns what was written, parsed back from
 * the JSON: it shares nothing with the objects of the caller's events.
 */
export async function upsertSnapshots<S>(
  db: Queryable,
  projector: Projector<S>,
  touched: ReadonlyMap<string, FoldedSnapshot<S>>,
): Promise<Map<string, SnapshotState<S>>> {
  const rows = [...touched]
    .filter((t): t is [string, { version: number; state: S }] => t[1].state !== undefined)
    .map(([stream, { version, state }]) => ({ stream, version, state, json: JSON.stringify(state) }));
  const written = new Map<string, SnapshotState<S>>();
  if (rows.length === 0) return written;
  await db.query(
    `INSERT INTO snapshots (stream, kind, status, version, state)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::json[])
     ON CONFLICT (stream) DO UPDATE SET status = excluded.status, version = excluded.version, state = excluded.state`,
    [
      rows.map((r) => r.stream),
      rows.map((r) => projector.kindOf(r.stream)),
      rows.map((r) => projector.statusOf(r.state) ?? null),
      rows.map((r) => r.version),
      rows.map((r) => r.json),
    ],
  );
  for (const r of rows) written.set(r.stream, { version: r.version, state: JSON.parse(r.json) as S });
  return written;
}

/** Snapshots of a kind, in the order they were first written, filtered by status when statuses are given. */
export async function listSnapshots<S>(db: Queryable, kind: string, statuses: readonly string[] | undefined, limit: number): Promise<S[]> {
  const filtered = statuses !== undefined && statuses.length > 0;
  const { rows } = await db.query<{ state: S }>(
    filtered
      ? 'SELECT state FROM snapshots WHERE kind = $1 AND status = ANY($3::text[]) ORDER BY ord LIMIT $2'
      : 'SELECT state FROM snapshots WHERE kind = $1 ORDER BY ord LIMIT $2',
    filtered ? [kind, limit, statuses] : [kind, limit],
  );
  return rows.map((r) => r.state);
}

export async function putMeta(db: Queryable, key: string, value: string): Promise<void> {
  await db.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}
