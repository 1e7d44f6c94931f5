// Benchmark: unit positions through the API into two nodes on one PostgreSQL, against the same
// batches into one node on SQLite.
//
//   npx tsx bench/two-nodes-positions.ts          (or: npm run bench -- two-nodes-positions)
//
// Two sides, measured in rounds that alternate:
//   two nodes   batches POSTed to /api/positions on node A; node B is watched
//   one node    the same batches POSTed to one node on SQLite; that node is watched
// Each connection sends batches back to back (closed loop), each ending with a fix of one of its
// own marker units in turn, stamped with the moment it was sent. Every batch is timed: a watcher
// polls the watched node's GET /api/units/:marker until the unit's live position (`livePosition`)
// shows that stamp or a later one, from the batch's 202 and from its send. A fix taken on node A
// reaches node B by the position relay (NOTIFY, batched every 20 ms), and B shows it as the unit's
// live position. The log keeps a unit's fix as a sample at most every 5 s, when it moved 250 m: a
// marker due for one moves 670 m, the others stay put, so the log gets a few marker samples a second.
//
// Knobs: BENCH_DURATION measured seconds per side (30), BENCH_ROUNDS (6), BENCH_WARMUP seconds per
// side (2), BENCH_POSITIONS_BATCH fixes per request, the marker's included (10000, the API's most),
// BENCH_POSITIONS_CONNECTIONS (2), BENCH_POSITIONS_TOKENS per connection (4: the route allows 600
// requests a minute per credential), BENCH_POSITIONS_MARKERS marker units per connection (20),
// BENCH_POSITIONS_TIME_EVERY (1: every batch is timed; N: every Nth batch of a connection),
// BENCH_FIX_MOTION for the other fixes, spread (random points in the city) or drive (100 m circles
// round a home), BENCH_TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildServer } from './support/children.ts';
import { median } from './support/load.ts';
import { feedRound, fixBodies, MarkerPool, SHOW_TIMEOUT_MS, type FeedRound, type Motion } from './support/position-feed.ts';
import { leaderName, postgresFacts, startPostgresNodes, startTestPostgres } from './support/postgres-nodes.ts';
import { fmtMs, fmtRate, fmtRatio, machineFacts, table } from './support/report.ts';
import { call2xx, makeTokens, startSamaritan } from './support/samaritan.ts';
import { envInt, msStats } from './support/stats.ts';

const ROUNDS = envInt('BENCH_ROUNDS', 6);
const ROUND_S = Math.max(1, Math.round(envInt('BENCH_DURATION', 30) / ROUNDS));
const WARMUP_S = envInt('BENCH_WARMUP', 2);
const BATCH = Math.min(10_000, Math.max(2, envInt('BENCH_POSITIONS_BATCH', 10_000)));
const CONNECTIONS = envInt('BENCH_POSITIONS_CONNECTIONS', 2);
const TOKENS = envInt('BENCH_POSITIONS_TOKENS', 4);
const MARKERS = envInt('BENCH_POSITIONS_MARKERS', 20);
const TIME_EVERY = envInt('BENCH_POSITIONS_TIME_EVERY', 1);
const MOTION: Motion = process.env['BENCH_FIX_MOTION'] === 'drive' ? 'drive' : 'spread';
const TARGET_MS = 200;

type Side = 'pair' | 'single';
const SIDES: readonly Side[] = ['pair', 'single'];
const LABEL: Record<Side, string> = { pair: 'two nodes: into A, B watched', single: 'one node on SQLite, itself watched' };

interface Target {
  readonly feed: ChildServer;
  readonly watch: ChildServer;
  /** Per connection, its tokens. */
  readonly tokens: readonly (readonly string[])[];
  readonly watchToken: string;
  /** Per connection, its marker units. */
  readonly markers: readonly MarkerPool[];
  readonly bodies: readonly string[];
  readonly budgets: Map<string, number[]>;
  readonly bulkUnits: number;
}

interface ListedUnit {
  readonly id: string;
  readonly position?: { readonly location: { readonly lat: number; readonly lon: number } };
}

async function target(feed: ChildServer, watch: ChildServer, tokens: readonly string[], seed: number): Promise<Target> {
  const units = (await call2xx(feed.base, 'GET', '/api/units', undefined, tokens[0]!))['units'] as ListedUnit[];
  const markers = CONNECTIONS * MARKERS;
  if (units.length < markers + 10) throw new Error(`only ${units.length} units: too few for ${markers} marker units and the rest`);
  // A unit with no logged position gets its spots round the city centre: its first fix is written whatever its place.
  const where = (u: ListedUnit) => ({ id: u.id, ...(u.position?.location ?? { lat: 37.76, lon: -122.44 }) });
  return {
    feed,
    watch,
    tokens: Array.from({ length: CONNECTIONS }, (_, c) => tokens.slice(1 + c * TOKENS, 1 + (c + 1) * TOKENS)),
    watchToken: tokens[0]!,
    markers: Array.from({ length: CONNECTIONS }, (_, c) => new MarkerPool(units.slice(c * MARKERS, (c + 1) * MARKERS).map(where))),
    bodies: fixBodies(
      units.slice(markers).map((u) => u.id),
      BATCH,
      MOTION,
      seed,
    ),
    budgets: new Map(),
    bulkUnits: units.length - markers,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'samaritan-two-nodes-positions-'));
  console.log('# two-nodes-positions: POST /api/positions into node A, node B watched, vs the same into one node on SQLite\n');
  for (const line of machineFacts(tmp).filter((l) => !l.startsWith('load:'))) console.log(line);
  console.log('load:        the feeds and the watchers run in this process, on the same CPUs as the nodes and PostgreSQL');
  const pg = await startTestPostgres();
  const servers: ChildServer[] = [];
  try {
    const names = ['watch', ...Array.from({ length: CONNECTIONS * TOKENS }, (_, i) => `feed${i}`)];
    const t0 = performance.now();
    const pair = await startPostgresNodes(pg, tmp, { count: 2, tokens: names, prefix: 'bench_positions' });
    servers.push(...pair.nodes);
    const [a, b] = pair.nodes as [ChildServer, ChildServer];
    const singleDir = join(tmp, 'sqlite');
    const singleTokens = await makeTokens(singleDir, 'dispatcher', names);
    const single = await startSamaritan(singleDir, undefined, {}, 'sqlite node');
    servers.push(single);
    const targets: Record<Side, Target> = { pair: await target(a, b, pair.tokens, 3), single: await target(single, single, singleTokens, 3) };
    console.log(await postgresFacts(pair.env['DATABASE_URL']!));
    console.log(
      `nodes:       A pid ${a.pid} at ${a.base}, B pid ${b.pid} at ${b.base} (leader: ${await leaderName([a, b])}); SQLite node pid ${single.pid} at ${single.base}` +
        ` (started, with ${names.length * 2} tokens, in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    console.log(
      `plan:        ${CONNECTIONS} connections per side, closed loop, ${BATCH.toLocaleString('en-US')} fixes a batch (${BATCH - 1} over ${targets.pair.bulkUnits} units, motion ${MOTION},` +
        ` then one of the connection's ${MARKERS} marker units in turn), ${TOKENS} tokens per connection` +
        `\n             timed: ${TIME_EVERY === 1 ? 'every batch' : `every ${TIME_EVERY}th batch of a connection`}, by its marker's livePosition on the watched node` +
        `\n             per side ${WARMUP_S} s warm-up, then ${ROUND_S * ROUNDS} s measured in ${ROUNDS} rounds of ${ROUND_S} s that alternate between the sides\n`,
    );

    const run = async (side: Side, seconds: number): Promise<FeedRound[]> => {
      const t = targets[side];
      return Promise.all(
        t.markers.map((marker, c) =>
          feedRound({
            feedBase: t.feed.base,
            watchBase: t.watch.base,
            tokens: t.tokens[c]!,
            budgets: t.budgets,
            watchToken: t.watchToken,
            markers: marker,
            bodies: t.bodies,
            seconds,
            timeEvery: TIME_EVERY,
          }),
        ),
      );
    };
    for (const side of SIDES) await run(side, WARMUP_S);
    const rounds: Record<Side, FeedRound[][]> = { pair: [], single: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) rounds[side].push(await run(side, ROUND_S));
    }

    // ---- the figures -----------------------------------------------------------------------------
    const perS = (rs: readonly FeedRound[], f: (r: FeedRound) => number) => rs.reduce((n, r) => n + f(r), 0) / Math.max(...rs.map((r) => r.seconds));
    const merged = (side: Side) => {
      const all = rounds[side].flat();
      const sum = (f: (r: FeedRound) => number) => all.reduce((n, r) => n + f(r), 0);
      const seconds = rounds[side].reduce((n, rs) => n + Math.max(...rs.map((r) => r.seconds)), 0);
      return {
        fixesPerS: sum((r) => r.accepted) / seconds,
        loggedPerS: sum((r) => r.recorded) / seconds,
        batchesPerS: sum((r) => r.requests) / seconds,
        post: msStats(all.flatMap((r) => r.latencies)),
        timed: sum((r) => r.timed),
        shown: msStats(all.flatMap((r) => r.shown)),
        fromSend: msStats(all.flatMap((r) => r.shownFromSend)),
        over: all.reduce((n, r) => n + r.shown.filter((x) => x > TARGET_MS).length, 0),
        overFromSend: all.reduce((n, r) => n + r.shownFromSend.filter((x) => x > TARGET_MS).length, 0),
        missing: sum((r) => r.missing),
        pollsPerS: sum((r) => r.polls) / seconds,
        rejected: sum((r) => r.rejected),
        non2xx: sum((r) => r.non2xx),
        errors: sum((r) => r.errors),
        budgetWaits: sum((r) => r.budgetWaits),
        problem: all.find((r) => r.firstProblem !== undefined)?.firstProblem,
      };
    };
    const m = { pair: merged('pair'), single: merged('single') };
    console.log(`## Fixes taken, over ${ROUNDS} rounds of ${ROUND_S} s per side (accepted in 202 answers; logged: written to the log as samples)\n`);
    console.log(
      table(
        ['side', 'fixes/s', 'logged/s', 'batches/s', 'POST p50', 'POST p99', 'rejected', 'non-2xx', 'errors', 'budget waits'],
        SIDES.map((s) => [
          LABEL[s],
          fmtRate(m[s].fixesPerS),
          fmtRate(m[s].loggedPerS),
          m[s].batchesPerS.toFixed(1),
          fmtMs(m[s].post.p50),
          fmtMs(m[s].post.p99),
          String(m[s].rejected),
          String(m[s].non2xx),
          String(m[s].errors),
          String(m[s].budgetWaits),
        ]),
      ),
    );
    console.log(
      "\n## From a batch's 202 (and from its send) to the watched node showing its last fix as the unit's livePosition, ms" +
        `\n## (GET /api/units/:id polled ${TIME_EVERY === 1 ? 'for every batch' : `for every ${TIME_EVERY}th batch of a connection`}; a delay includes that GET)\n`,
    );
    const row = (s: Side, from: 'the 202' | 'the send') => {
      const st = from === 'the 202' ? m[s].shown : m[s].fromSend;
      return [
        LABEL[s],
        from,
        `${st.n} of ${m[s].timed}`,
        fmtMs(st.p50),
        fmtMs(st.p90),
        fmtMs(st.p99),
        fmtMs(st.max),
        String(from === 'the 202' ? m[s].over : m[s].overFromSend),
        String(m[s].missing),
        fmtRate(m[s].pollsPerS),
      ];
    };
    console.log(
      table(
        ['side', 'from', 'shown', 'p50', 'p90', 'p99', 'max', `> ${TARGET_MS} ms`, `missing (${SHOW_TIMEOUT_MS / 1000} s)`, 'watcher GETs/s'],
        SIDES.flatMap((s) => [row(s, 'the 202'), row(s, 'the send')]),
      ),
    );
    const perRound = rounds.pair
      .map((rs, i) => perS(rs, (r) => r.accepted) / perS(rounds.single[i]!, (r) => r.accepted))
      .filter(Number.isFinite);
    console.log(
      `\ntwo nodes / one node: fixes/s ${fmtRatio(m.pair.fixesPerS, m.single.fixesPerS)}` +
        ` (per round ${perRound.length === 0 ? '-' : `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}, med ${median(perRound).toFixed(2)}`})` +
        `; shown from the 202 p50 ${fmtRatio(m.pair.shown.p50, m.single.shown.p50)}, p99 ${fmtRatio(m.pair.shown.p99, m.single.shown.p99)}`,
    );
    const verdict = (s: Side, over: number) => (over === 0 && m[s].missing === 0 && m[s].timed > 0 ? 'MET' : 'NOT MET');
    const against = (s: Side, who: string) =>
      `\n  ${who}, from the 202: ${verdict(s, m[s].over)} (${m[s].over} of ${m[s].timed} timed batches beyond ${TARGET_MS} ms, ${m[s].missing} missing;` +
      ` p99 ${fmtMs(m[s].shown.p99)}, max ${fmtMs(m[s].shown.max)})` +
      `\n  ${who}, from the send: ${verdict(s, m[s].overFromSend)} (${m[s].overFromSend} beyond, ${m[s].missing} missing;` +
      ` p99 ${fmtMs(m[s].fromSend.p99)}, max ${fmtMs(m[s].fromSend.max)})`;
    console.log(
      `\ntarget (printed, not enforced): every node's live index gets every position within ${TARGET_MS} ms` +
        against('pair', 'node B, fed on node A') +
        against('single', 'baseline, one SQLite node'),
    );
    console.log(`\nleader at the end: ${await leaderName([a, b])}; took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const problems = SIDES.filter((s) => m[s].non2xx + m[s].errors + m[s].rejected + m[s].missing > 0);
    if (problems.length > 0) {
      for (const s of problems) console.log(`\n${LABEL[s]}: ${m[s].problem ?? `${m[s].missing} batches never shown as livePosition on the watched node`}`);
      console.log('A batch was refused, lost fixes, or its last fix never became the livePosition on the watched node: the figures above cannot be trusted.');
      process.exitCode = 1;
    }
    if (m.pair.budgetWaits + m.single.budgetWaits > 0)
      console.log('\nThe rate limit held a feed back (budget waits): its fixes/s is a floor set by the limit; more tokens would raise it.');
  } finally {
    for (const s of servers) await s.stop();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
