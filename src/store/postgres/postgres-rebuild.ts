import type pg from 'pg';
import type { Projector } from '../event-store.ts';
import { foldSnapshots } from '../fold-snapshots.ts';
import { eventsAfter } from './postgres-event-rows.ts';
import type { Queryable } from './pg-pool.ts';
import { putMeta, type SnapshotState, upsertSnapshots } from './postgres-snapshots.ts';

const PAGE = 5000;

interface Projection {
  schema: string | null;
  projected: string | null;
  head: number;
  any: boolean;
}

/** What the snapshots were folded with and up to where, read in one statement (one consistent view). */
async function projection(db: Queryable): Promise<Projection> {
  const { rows } = await db.query<Projection>(
    `SELECT (SELECT value FROM meta WHERE key = 'projection_schema') AS schema,
            (SELECT value FROM meta WHERE key = 'projected_seq') AS projected,
            (SELECT coalesce(max(seq), 0) FROM events) AS head,
            EXISTS (SELECT 1 FROM snapshots) AS any`,
  );
  return rows[0]!;
}

/** Snapshots folded by another projector shape, lagging the log, or some of them deleted (the trigger clears projected_seq). */
const isStale = (p: Projection, schemaVersion: number): boolean =>
  p.schema !== String(schemaVersion) || Number(p.projected ?? 0) !== p.head || (p.head > 0 && !p.any);

/**
 * Snapshots are derived data: rebuilds them from the log when they are stale. The rebuild holds the
 * log's lock (`logLock`), so no node appends meanwhile, and looks again once it has it: of two
 * nodes starting together, the second finds the work done.
 */
export async function rebuildIfStale<S>(pool: pg.Pool, projector: Projector<S>, logLock: number): Promise<void> {
  if (!isStale(await projection(pool), projector.schemaVersion)) return;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [logLock]);
    const now = await projection(client);
    if (isStale(now, projector.schemaVersion)) {
      await client.query('DELETE FROM snapshots');
      const all = new Map<string, SnapshotState<S>>();
      const none = { version: 0, state: undefined };
      for (let after = 0; ; ) {
        const page = await eventsAfter(client, after, PAGE);
        if (page.length === 0) break;
        const touched = foldSnapshots(projector, page, (stream) => all.get(stream) ?? none);
        for (const [stream, t] of touched) all.set(stream, t);
        await upsertSnapshots(client, projector, touched);
        after = page[page.length - 1]!.seq;
      }
      await putMeta(client, 'projection_schema', String(projector.schemaVersion));
      await putMeta(client, 'projected_seq', String(now.head));
    }
    await client.query('COMMIT');
  } catch (e) {
    broken = e instanceof Error ? e : new Error(String(e));
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release(broken);
  }
}
