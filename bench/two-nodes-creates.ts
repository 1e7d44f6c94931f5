// Benchmark: durable incident creates through two nodes on one PostgreSQL, against one node on
// SQLite (the default), both at 50 connections.
//
//   npx tsx bench/two-nodes-creates.ts          (or: npm run bench -- two-nodes-creates)
//
// Two sides, measured in rounds that alternate (so drift in the shared machine lands on both):
//   two nodes   POST /api/incidents, 25 connections on node A and 25 on node B, both
//               `samaritan serve` with DATABASE_URL on the same PostgreSQL (embedded, or DATABASE_URL's)
//   one node    POST /api/incidents, 50 connections on one `samaritan serve` on SQLite
// Afterwards every acknowledged create must be in the log (counted through GET /api/events on each
// node: both nodes of the pair must count the same).
//
// Knobs: BENCH_DURATION measured seconds per side (20), BENCH_ROUNDS (5), BENCH_WARMUP seconds per
// side (3), BENCH_DURABLE_CONNECTIONS (50, split across the two nodes), BENCH_TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildServer } from './support/children.ts';
import { drive, median, type RawRun } from './support/load.ts';
import { leaderName, postgresFacts, startPostgresNodes, startTestPostgres } from './support/postgres-nodes.ts';
import { fmtMs, fmtRate, fmtRatio, machineFacts, table } from './support/report.ts';
import { countIncidents, IncidentCounter, makeTokens, settledCount, startSamaritan } from './support/samaritan.ts';
import { envInt, msStats } from './support/stats.ts';
import { cycle, incidentBodies } from './support/workload.ts';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const ROUND_S = Math.max(1, Math.round(envInt('BENCH_DURATION', 20) / ROUNDS));
const WARMUP_S = envInt('BENCH_WARMUP', 3);
const CONNECTIONS = Math.max(2, envInt('BENCH_DURABLE_CONNECTIONS', 50));

type Side = 'pair' | 'single';
const SIDES: readonly Side[] = ['pair', 'single'];
const LABEL: Record<Side, string> = {
  pair: `two nodes on PostgreSQL, c=${Math.ceil(CONNECTIONS / 2)}+${Math.floor(CONNECTIONS / 2)}`,
  single: `one node on SQLite, c=${CONNECTIONS}`,
};

interface Round {
  readonly seconds: number;
  /** Incidents the log gained from this round's requests (answered or in flight when it stopped). */
  readonly writes: number;
  readonly runs: readonly RawRun[];
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'samaritan-two-nodes-creates-'));
  console.log(`# two-nodes-creates: POST /api/incidents through two nodes on PostgreSQL vs one node on SQLite, c=${CONNECTIONS}\n`);
  for (const line of machineFacts(tmp)) console.log(line);
  const pg = await startTestPostgres();
  const servers: ChildServer[] = [];
  try {
    const pair = await startPostgresNodes(pg, tmp, { count: 2, tokens: ['bench'], prefix: 'bench_creates' });
    servers.push(...pair.nodes);
    const [a, b] = pair.nodes as [ChildServer, ChildServer];
    const pairToken = pair.tokens[0]!;
    const singleDir = join(tmp, 'sqlite');
    const [singleToken] = await makeTokens(singleDir, 'dispatcher', ['bench']);
    const single = await startSamaritan(singleDir, undefined, {}, 'sqlite node');
    servers.push(single);
    console.log(await postgresFacts(pair.env['DATABASE_URL']!));
    console.log(
      `nodes:       A pid ${a.pid} at ${a.base}, B pid ${b.pid} at ${b.base} (leader: ${await leaderName([a, b])}); SQLite node pid ${single.pid} at ${single.base}`,
    );
    console.log(
      `runs:        per side ${WARMUP_S} s warm-up, then ${ROUND_S * ROUNDS} s measured in ${ROUNDS} rounds of ${ROUND_S} s that alternate between the sides\n`,
    );

    const initial = { pair: await countIncidents(a.base, pairToken), single: await countIncidents(single.base, singleToken!) };
    const counters = { pair: new IncidentCounter(a.base, pairToken), single: new IncidentCounter(single.base, singleToken!) };
    const nextBody = cycle(incidentBodies(2000));
    const totals = { pair: { acked: 0, sent: 0 }, single: { acked: 0, sent: 0 } };
    const load = (on: ChildServer, token: string, connections: number, seconds: number) =>
      drive({
        base: on.base,
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        connections,
        durationS: seconds,
        next: () => ({ path: '/api/incidents', body: nextBody() }),
      });
    const run = async (side: Side, seconds: number): Promise<Round> => {
      const before = await settledCount(() => counters[side].count());
      const runs =
        side === 'pair'
          ? await Promise.all([load(a, pairToken, Math.ceil(CONNECTIONS / 2), seconds), load(b, pairToken, Math.floor(CONNECTIONS / 2), seconds)])
          : [await load(single, singleToken!, CONNECTIONS, seconds)];
      const after = await settledCount(() => counters[side].count());
      for (const r of runs) {
        totals[side].acked += r.ok;
        totals[side].sent += r.sent;
      }
      return { seconds: Math.max(...runs.map((r) => r.durationS)), writes: after - before, runs };
    };

    for (const side of SIDES) await run(side, WARMUP_S);
    const rounds: Record<Side, Round[]> = { pair: [], single: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) rounds[side].push(await run(side, ROUND_S));
    }

    // ---- the figures -----------------------------------------------------------------------------
    const merged = (side: Side) => {
      const rs = rounds[side];
      const runs = rs.flatMap((r) => r.runs);
      const all: number[] = [];
      for (const r of runs) for (let k = 0; k < r.latencies.length; k++) all.push(r.latencies[k]!);
      const seconds = rs.reduce((n, r) => n + r.seconds, 0);
      const codes: Record<string, number> = {};
      for (const r of runs) for (const [c, n] of Object.entries(r.statusCodes)) if (!c.startsWith('2')) codes[c] = (codes[c] ?? 0) + n;
      return {
        perS: rs.reduce((n, r) => n + r.writes, 0) / seconds,
        ackedPerS: runs.reduce((n, r) => n + r.ok, 0) / seconds,
        lat: msStats(all),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
        errors: runs.reduce((n, r) => n + r.errors, 0),
        codes: Object.entries(codes).map(([c, n]) => `${c}: ${n}`).join(', '),
      };
    };
    const m = { pair: merged('pair'), single: merged('single') };
    console.log(
      `## Durable creates per second over ${ROUNDS} rounds of ${ROUND_S} s per side (incidents the log gained; answered 2xx/s leaves out the requests in flight when a round stopped)` +
        '\n## latency in ms: the whole HTTP answer, client-side\n',
    );
    console.log(
      table(
        ['side', 'creates/s', 'answered 2xx/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'errors'],
        SIDES.map((s) => [
          LABEL[s],
          fmtRate(m[s].perS),
          fmtRate(m[s].ackedPerS),
          fmtMs(m[s].lat.p50),
          fmtMs(m[s].lat.p90),
          fmtMs(m[s].lat.p99),
          fmtMs(m[s].lat.max),
          String(m[s].non2xx) + (m[s].codes ? ` (${m[s].codes})` : ''),
          String(m[s].errors),
        ]),
      ),
    );
    const perRound = rounds.pair
      .map((r, i) => {
        const o = rounds.single[i];
        return o === undefined ? Number.NaN : r.writes / r.seconds / (o.writes / o.seconds);
      })
      .filter(Number.isFinite);
    console.log('\n## Two nodes on PostgreSQL / one node on SQLite (creates/s: over 1 the pair makes more durable creates per second)\n');
    console.log(
      table(
        ['ratio', 'creates/s', `per-round (${ROUNDS})`, 'p50 ratio', 'p99 ratio'],
        [
          [
            'two nodes (PostgreSQL) / one node (SQLite)',
            fmtRatio(m.pair.perS, m.single.perS),
            perRound.length === 0 ? '-' : `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)} (med ${median(perRound).toFixed(2)})`,
            fmtRatio(m.pair.lat.p50, m.single.lat.p50),
            fmtRatio(m.pair.lat.p99, m.single.lat.p99),
          ],
        ],
      ),
    );

    // ---- trust: every acknowledged create is in the log, and both nodes of the pair agree ----------
    console.log('');
    let lost = false;
    const check = (what: string, side: Side, added: number) => {
      const { acked, sent } = totals[side];
      const ok = acked <= added && added <= sent;
      lost ||= !ok;
      console.log(`${what}: ${acked} creates acknowledged (${sent} sent), the log holds ${added} new incidents: ${ok ? 'ok' : 'MISMATCH'}`);
    };
    const [onA, onB] = await Promise.all([countIncidents(a.base, pairToken), countIncidents(b.base, pairToken)]);
    check('write check, two nodes (read on node A)', 'pair', onA - initial.pair);
    check('write check, two nodes (read on node B)', 'pair', onB - initial.pair);
    check('write check, one node', 'single', (await countIncidents(single.base, singleToken!)) - initial.single);

    console.log(
      '\nBoth sides run the product as separate processes with every request authenticated; the pair also shares the CPUs with PostgreSQL.' +
        `\nleader at the end: ${await leaderName([a, b])}; took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const failed = SIDES.some((s) => m[s].non2xx > 0 || m[s].errors > 0);
    if (failed) console.log('\nSome requests were not answered 2xx: the figures above are not comparable.');
    if (lost) console.log('\nA log does not hold every acknowledged create: see the checks above.');
    if (failed || lost) process.exitCode = 1;
  } finally {
    for (const s of servers) await s.stop();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
