// Benchmark: a message's round trip between two cluster nodes through PostgreSQL's NOTIFY, against
// the floor of any trip to the server: a `SELECT 1` on a pooled connection.
//
//   npx tsx bench/cluster-notify.ts          (or: npm run bench -- cluster-notify)
//
// Two PostgresClusters in this process, each with its own pool and connections, as two nodes would
// have: node A broadcasts a ping, node B answers with a pong, A times the round trip (one in flight
// at a time). One way is about half of it. The server is the embedded test PostgreSQL (loopback),
// or DATABASE_URL's.
//
// Knobs: BENCH_NOTIFY_TRIPS round trips measured (1000), BENCH_WARMUP trips first (100).
import pg from 'pg';
import { openPostgresCluster } from '../src/store/postgres/postgres-cluster.ts';
import { runMigrations } from '../src/store/postgres/migrations.ts';
import { startTestPostgres } from '../test/support/postgres.ts';
import { fmtMs, machineFacts, table } from './support/report.ts';
import { envInt, msStats } from './support/stats.ts';

const TRIPS = envInt('BENCH_NOTIFY_TRIPS', 1000);
const WARMUP = envInt('BENCH_WARMUP', 100);

const server = await startTestPostgres();
try {
  const url = await server.createDatabase('bench_notify');
  const pools = [new pg.Pool({ connectionString: url }), new pg.Pool({ connectionString: url })] as const;
  // The server's goodbye to connections still closing when it stops.
  for (const p of pools) p.on('error', () => {});
  await runMigrations(pools[0]);
  const a = await openPostgresCluster(pools[0], url);
  const b = await openPostgresCluster(pools[1], url);
  b.onMessage('ping', (i) => b.broadcast('pong', i));
  let answered: ((i: unknown) => void) | undefined;
  a.onMessage('pong', (i) => answered?.(i));

  const trip = async (i: number): Promise<number> => {
    const back = new Promise<unknown>((r) => (answered = r));
    const t0 = performance.now();
    a.broadcast('ping', i);
    const got = await back;
    if (got !== i) throw new Error(`pong ${String(got)} for ping ${i}`);
    return performance.now() - t0;
  };
  const query = async (): Promise<number> => {
    const t0 = performance.now();
    await pools[0].query('SELECT 1');
    return performance.now() - t0;
  };

  for (let i = 0; i < WARMUP; i++) await trip(-i - 1);
  for (let i = 0; i < WARMUP; i++) await query();
  const trips: number[] = [];
  const queries: number[] = [];
  // Alternating, so drift in the machine's load lands on both alike.
  for (let i = 0; i < TRIPS; i++) {
    trips.push(await trip(i));
    queries.push(await query());
  }
  const t = msStats(trips);
  const q = msStats(queries);
  console.log(
    machineFacts(process.cwd())
      .filter((l) => !l.startsWith('load:'))
      .join('\n'),
  );
  console.log(`\n${TRIPS} round trips, one in flight\n`);
  console.log(
    table(
      ['', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [
        ['NOTIFY ping → pong between two nodes', fmtMs(t.p50), fmtMs(t.p90), fmtMs(t.p99), fmtMs(t.max)],
        ['baseline: SELECT 1 on the pool', fmtMs(q.p50), fmtMs(q.p90), fmtMs(q.p99), fmtMs(q.max)],
      ],
    ),
  );
  await Promise.all([a.close(), b.close()]);
  await Promise.all(pools.map((p) => p.end()));
} finally {
  await server.stop();
}
