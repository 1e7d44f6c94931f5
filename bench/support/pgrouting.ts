// A throwaway PostgreSQL cluster with pgRouting for bench/routing.ts: found, never installed.
// Runs on 127.0.0.1 in a temporary directory; as root, the cluster runs as the `postgres` user.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PGROUTING_INSTALL_HINT =
  'pgRouting not found. To compare, install it (Debian 12): apt-get install -y postgresql-15 postgresql-15-pgrouting';

/** One edge of the compared graph: seconds each way, -1 where that way is closed. */
export interface PgEdge {
  readonly id: number;
  readonly source: number;
  readonly target: number;
  readonly cost: number;
  readonly reverseCost: number;
}

/** A query for pgr_dijkstraCost: from every source to every target. */
export interface PgQuery {
  readonly sources: readonly number[];
  readonly targets: readonly number[];
}

export interface PgTimed {
  /** Server-side milliseconds per query (clock_timestamp around the call). */
  readonly ms: number[];
  /** agg_cost per query, keyed "source>target" (only the pairs pgRouting reached). */
  readonly costs: Map<string, number>[];
}

/** The newest PostgreSQL whose extension directory holds pgRouting, or undefined. */
export function findPgRouting(): { bin: string; version: string } | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(base, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(`/usr/share/postgresql/${v}/extension/pgrouting.control`)) return { bin, version: v };
  }
  return undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

/** A running throwaway cluster; stop() removes everything. */
export class PgRoutingCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    private readonly port: number,
    private readonly asPostgres: boolean,
    readonly version: string,
  ) {}

  static async start(found: { bin: string; version: string }): Promise<PgRoutingCluster> {
    const asPostgres = process.getuid?.() === 0;
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-pgrouting-'));
    chmodSync(dir, 0o755);
    if (asPostgres) {
      const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
    }
    const c = new PgRoutingCluster(found.bin, dir, await freePort(), asPostgres, found.version);
    try {
      c.run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
      c.run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${c.port} -k ${dir} -c fsync=off -c shared_buffers=256MB`, 'start']);
      // Debian's pgRouting 3.4 declares PostGIS as a requirement.
      c.sql('CREATE EXTENSION pgrouting CASCADE;');
    } catch (e) {
      c.stop();
      throw e;
    }
    return c;
  }

  private run(tool: string, args: readonly string[], input?: string): string {
    const cmd = this.asPostgres ? 'runuser' : join(this.bin, tool);
    const full = this.asPostgres ? ['-u', 'postgres', '--', join(this.bin, tool), ...args] : [...args];
    const r = spawnSync(cmd, full, { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /** Runs SQL through psql; returns its unaligned, comma-separated output. */
  sql(script: string): string {
    return this.run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-X', '-q', '-At', '-F', ',', '-v', 'ON_ERROR_STOP=1', '-d', 'postgres'], script);
  }

  /** Writes a file the server's user can read (for \copy). */
  private file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    chmodSync(path, 0o644);
    return path;
  }

  loadEdges(edges: readonly PgEdge[]): void {
    const csv = edges.map((e) => `${e.id},${e.source},${e.target},${e.cost},${e.reverseCost}`).join('\n') + '\n';
    const path = this.file('edges.csv', csv);
    this.sql(
      `CREATE TABLE edges (id bigint PRIMARY KEY, source bigint, target bigint, cost float8, reverse_cost float8);
       \\copy edges FROM '${path}' WITH (FORMAT csv)
       CREATE INDEX ON edges (source); CREATE INDEX ON edges (target); ANALYZE edges;`,
    );
  }

  /** Times each query server-side: pgr_dijkstraCost over the whole edges table, directed. */
  time(queries: readonly PgQuery[]): PgTimed {
    const lines = queries.map((q, i) => `${i},"{${q.sources.join(',')}}","{${q.targets.join(',')}}"`).join('\n') + '\n';
    const path = this.file('queries.csv', lines);
    const out = this.sql(
      `DROP TABLE IF EXISTS queries, timings, results;
       CREATE TABLE queries (id int, sources bigint[], targets bigint[]);
       \\copy queries FROM '${path}' WITH (FORMAT csv)
       CREATE TABLE timings (id int, ms float8);
       CREATE TABLE results (id int, s bigint, t bigint, cost float8);
       DO $$
       DECLARE q record; t0 timestamptz;
       BEGIN
         FOR q IN SELECT * FROM queries ORDER BY id LOOP
           t0 := clock_timestamp();
           INSERT INTO results SELECT q.id, start_vid, end_vid, agg_cost
             FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM edges', q.sources, q.targets, directed => true);
           INSERT INTO timings VALUES (q.id, extract(epoch FROM clock_timestamp() - t0) * 1000);
         END LOOP;
       END $$;
       SELECT 't', id, ms, 0, 0 FROM timings ORDER BY id;
       SELECT 'r', id, s, t, cost FROM results;`,
    );
    const ms: number[] = queries.map(() => NaN);
    const costs = queries.map(() => new Map<string, number>());
    for (const line of out.split('\n')) {
      const [kind, id, a, b, c] = line.split(',');
      if (kind === 't') ms[Number(id)] = Number(a);
      else if (kind === 'r') costs[Number(id)]!.set(`${a}>${b}`, Number(c));
    }
    return { ms, costs };
  }

  stop(): void {
    try {
      if (existsSync(join(this.dir, 'data', 'postmaster.pid'))) this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
