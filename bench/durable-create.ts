// Benchmark: durable incident creates through the HTTP API at 50 connections, against the floor of
// a durable write: a bare SQLite insert of one ~400-byte row per fsynced commit, in a tight loop.
//
//   npx tsx bench/durable-create.ts          (or: npm run bench -- durable-create)
//
// Three sides, each measured in rounds that alternate with the others (so drift in the shared
// disk's speed lands on all alike):
//   samaritan  POST /api/incidents on `node bin/samaritan.js serve` (dispatcher bearer token), c=50
//   baseline   POST /items on support/baseline-server.ts (Fastify, JSON schema, one fsynced INSERT), c=50
//   bare       support/bare-insert.ts: one better-sqlite3 connection, INSERT one 400-byte row per
//              commit, WAL + synchronous=FULL, as fast as it goes (one writer, no HTTP)
// Then every acknowledged create must be in the product's log, also after a SIGKILL and a restart.
//
// Knobs: BENCH_DURATION measured seconds per side (20), BENCH_ROUNDS (5), BENCH_WARMUP seconds per
// side before the rounds (3), BENCH_DURABLE_CONNECTIONS (50), BENCH_CRASH_CHECK=0 to skip the
// kill-and-restart check, BENCH_TMPDIR where the data goes (os.tmpdir()).
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromBare, ToBare } from './support/bare-insert.ts';
import { forkScript, freePort, startChild, type ChildServer } from './support/children.ts';
import { drive, median, type RawRun } from './support/load.ts';
import { fmtMs, fmtRate, machineFacts, table } from './support/report.ts';
import { call2xx, countIncidents, IncidentCounter, makeTokens, startSamaritan } from './support/samaritan.ts';
import { envInt, msStats, type MsStats } from './support/stats.ts';
import { cycle, incidentBodies } from './support/workload.ts';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const ROUND_S = Math.max(1, Math.round(envInt('BENCH_DURATION', 20) / ROUNDS));
const WARMUP_S = envInt('BENCH_WARMUP', 3);
const CONNECTIONS = envInt('BENCH_DURABLE_CONNECTIONS', 50);
const CRASH_CHECK = process.env['BENCH_CRASH_CHECK'] !== '0';
const TARGET = { createsPerS: 2000, p99Ms: 50 } as const;

type Side = 'samaritan' | 'baseline' | 'bare';
const SIDES: readonly Side[] = ['samaritan', 'baseline', 'bare'];

/** One round of one side: durable writes, their latencies, and how the requests were answered. */
interface Round {
  readonly seconds: number;
  /** Records the store gained from this round's requests (answered or still in flight when the round ended). */
  readonly writes: number;
  /** Requests answered 2xx. */
  readonly acked: number;
  readonly latencies: ArrayLike<number>;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A store's record count once it stops moving: autocannon drops the answers of the requests in
 * flight when a round stops, but the server still commits them; they belong to that round.
 */
async function settled(count: () => Promise<number>): Promise<number> {
  let last = await count();
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** The bare-insert child, driven one message at a time. */
class Bare {
  private constructor(private readonly child: ChildProcess) {}
  static start(): Bare {
    return new Bare(forkScript(fileURLToPath(new URL('./support/bare-insert.ts', import.meta.url))));
  }
  ask<T extends FromBare['type']>(m: ToBare, want: T): Promise<Extract<FromBare, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (raw: unknown) => {
        const a = raw as FromBare;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (a.type === want) resolve(a as Extract<FromBare, { type: T }>);
        else reject(new Error(`bare insert: ${a.type === 'failed' ? a.message : `answered ${a.type} to ${m.type}`}`));
      };
      const onExit = () => reject(new Error(`bare insert exited while asked to ${m.type}`));
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(m);
    });
  }
  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'close' } satisfies ToBare);
    await exited;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'samaritan-durable-'));
  console.log(`# durable-create: POST /api/incidents at c=${CONNECTIONS} vs one fsynced SQLite commit per row\n`);
  for (const line of machineFacts(tmp)) console.log(line);
  console.log(
    `runs:        per side ${WARMUP_S} s warm-up, then ${ROUND_S * ROUNDS} s measured in ${ROUNDS} rounds of ${ROUND_S} s that alternate between the sides` +
      `\n             (bare inserts run in a child process: the benchmark's autocannon is idle while they run)\n`,
  );

  const samaritanDir = join(tmp, 'samaritan');
  const servers: ChildServer[] = [];
  let bare: Bare | undefined;
  try {
    const [token] = await makeTokens(samaritanDir, 'dispatcher', ['bench']);
    const auth = { authorization: `Bearer ${token!}` };
    let samaritan = await startSamaritan(samaritanDir);
    servers.push(samaritan);
    const baselinePort = await freePort();
    const baseline = await startChild({
      name: 'baseline',
      port: baselinePort,
      args: [
        '--import',
        'tsx',
        'bench/support/baseline-server.ts',
        '--port',
        String(baselinePort),
        '--data-dir',
        join(tmp, 'baseline'),
      ],
      healthPath: '/healthz',
    });
    servers.push(baseline);
    mkdirSync(join(tmp, 'bare'));
    bare = Bare.start();
    const opened = await bare.ask({ type: 'open', dbPath: join(tmp, 'bare', 'bare.db'), seed: 7 }, 'opened');
    if (opened.journalMode !== 'wal' || opened.synchronous !== 2)
      throw new Error(`bare insert: SQLite is in ${opened.journalMode}, synchronous=${opened.synchronous}, not WAL with FULL`);
    console.log(
      `servers:     samaritan pid ${samaritan.pid} at ${samaritan.base}, baseline pid ${baseline.pid} at ${baseline.base}`,
    );
    console.log(
      `bare:        journal_mode=${opened.journalMode}, synchronous=FULL, ${opened.rowBytes.toFixed(0)}-byte JSON rows, one per commit\n`,
    );

    const initialIncidents = await countIncidents(samaritan.base, token!);
    const counter = new IncidentCounter(samaritan.base, token!);
    const records: Record<'samaritan' | 'baseline', () => Promise<number>> = {
      samaritan: () => counter.count(),
      baseline: async () => Number((await call2xx(baseline.base, 'GET', '/healthz'))['rows']),
    };
    const nextBody = cycle(incidentBodies(2000));
    let acked = 0;
    let sent = 0;
    let bareInserts = 0;
    const create = async (
      side: 'samaritan' | 'baseline',
      server: ChildServer,
      path: string,
      headers: Record<string, string>,
      seconds: number,
    ): Promise<Round> => {
      const before = await settled(records[side]);
      const r: RawRun = await drive({
        base: server.base,
        method: 'POST',
        headers,
        connections: CONNECTIONS,
        durationS: seconds,
        next: () => ({ path, body: nextBody() }),
      });
      const after = await settled(records[side]);
      if (side === 'samaritan') {
        acked += r.ok;
        sent += r.sent;
      }
      return {
        seconds: r.durationS,
        writes: after - before,
        acked: r.ok,
        latencies: r.latencies,
        non2xx: r.non2xx,
        errors: r.errors,
        statusCodes: r.statusCodes,
      };
    };
    const load: Record<Side, (seconds: number) => Promise<Round>> = {
      samaritan: (s) => create('samaritan', samaritan, '/api/incidents', auth, s),
      baseline: (s) => create('baseline', baseline, '/items', {}, s),
      bare: async (s) => {
        const r = await bare!.ask({ type: 'run', seconds: s }, 'ran');
        bareInserts += r.inserts;
        return {
          seconds: r.seconds,
          writes: r.inserts,
          acked: r.inserts,
          latencies: r.latencies,
          non2xx: 0,
          errors: 0,
          statusCodes: {},
        };
      },
    };

    // Warm-up: JIT, page cache, the WAL files' first growth. Not measured.
    for (const side of SIDES) await load[side](WARMUP_S);
    const rounds: Record<Side, Round[]> = { samaritan: [], baseline: [], bare: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) rounds[side].push(await load[side](ROUND_S));
    }

    // ---- the figures -----------------------------------------------------------------------------
    interface Merged {
      readonly perS: number;
      readonly ackedPerS: number;
      readonly lat: MsStats;
      readonly non2xx: number;
      readonly errors: number;
      readonly statusCodes: Record<string, number>;
    }
    const merge = (rs: readonly Round[]): Merged => {
      const all: number[] = [];
      const statusCodes: Record<string, number> = {};
      for (const r of rs) {
        for (let k = 0; k < r.latencies.length; k++) all.push(r.latencies[k]!);
        for (const [c, n] of Object.entries(r.statusCodes)) statusCodes[c] = (statusCodes[c] ?? 0) + n;
      }
      const sum = (f: (r: Round) => number) => rs.reduce((n, r) => n + f(r), 0);
      return {
        perS: sum((r) => r.writes) / sum((r) => r.seconds),
        ackedPerS: sum((r) => r.acked) / sum((r) => r.seconds),
        lat: msStats(all),
        non2xx: sum((r) => r.non2xx),
        errors: sum((r) => r.errors),
        statusCodes,
      };
    };
    const m: Record<Side, Merged> = {
      samaritan: merge(rounds.samaritan),
      baseline: merge(rounds.baseline),
      bare: merge(rounds.bare),
    };
    const label: Record<Side, string> = {
      samaritan: `samaritan POST /api/incidents, c=${CONNECTIONS}`,
      baseline: `baseline POST /items, c=${CONNECTIONS}`,
      bare: 'bare INSERT, 1 row per commit, 1 writer',
    };
    const odd = (x: Merged) =>
      Object.entries(x.statusCodes)
        .filter(([c]) => !c.startsWith('2'))
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ');
    console.log(
      `## Durable writes per second over ${ROUNDS} rounds of ${ROUND_S} s per side (records the store gained; answered 2xx/s leaves out the requests in flight when a round stopped)` +
        `\n## latency in ms per write: the whole HTTP answer, or one insert and its commit\n`,
    );
    console.log(
      table(
        ['side', 'writes/s', 'answered 2xx/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'errors'],
        SIDES.map((s) => [
          label[s],
          fmtRate(m[s].perS),
          fmtRate(m[s].ackedPerS),
          fmtMs(m[s].lat.p50),
          fmtMs(m[s].lat.p90),
          fmtMs(m[s].lat.p99),
          fmtMs(m[s].lat.max),
          String(m[s].non2xx) + (odd(m[s]) ? ` (${odd(m[s])})` : ''),
          String(m[s].errors),
        ]),
      ),
    );

    const perRound = (a: Side, b: Side) => {
      const xs = rounds[a]
        .map((r, i) => {
          const o = rounds[b][i];
          return o === undefined ? Number.NaN : r.writes / r.seconds / (o.writes / o.seconds);
        })
        .filter(Number.isFinite);
      return xs.length === 0 ? '-' : `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} (med ${median(xs).toFixed(2)})`;
    };
    const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? (a / b).toFixed(2) : '-');
    console.log('\n## Ratios of writes/s (over 1: more durable writes per second than the other side; under 1: fewer)\n');
    console.log(
      table(
        ['ratio', 'writes/s', `per-round (${ROUNDS})`, 'p99 ratio'],
        [
          // A p99 ratio against the bare insert would compare an HTTP answer under 50 connections' queueing with one commit: left out.
          ['samaritan / bare insert', ratio(m.samaritan.perS, m.bare.perS), perRound('samaritan', 'bare'), '-'],
          ['baseline / bare insert', ratio(m.baseline.perS, m.bare.perS), perRound('baseline', 'bare'), '-'],
          [
            'samaritan / baseline',
            ratio(m.samaritan.perS, m.baseline.perS),
            perRound('samaritan', 'baseline'),
            ratio(m.samaritan.lat.p99, m.baseline.lat.p99),
          ],
        ],
      ),
    );
    const meets = (ok: boolean) => (ok ? 'meets it' : 'falls short');
    console.log(
      `\ntarget (printed, not enforced): >= ${TARGET.createsPerS.toLocaleString('en-US')} creates/s and p99 <= ${TARGET.p99Ms} ms at 50 connections` +
        `\n  samaritan at c=${CONNECTIONS}: ${fmtRate(m.samaritan.perS)} creates/s (${meets(m.samaritan.perS >= TARGET.createsPerS)}; ${ratio(m.samaritan.perS, TARGET.createsPerS)} of the target)` +
        `, p99 ${fmtMs(m.samaritan.lat.p99)} ms (${meets(m.samaritan.lat.p99 <= TARGET.p99Ms)})` +
        `\n  one fsynced commit per row on this disk allows ${fmtRate(m.bare.perS)}/s: ${m.bare.perS >= TARGET.createsPerS ? 'the target is within one-commit-per-create' : `the target needs ${ratio(TARGET.createsPerS, m.bare.perS)}x that, i.e. several creates per commit`}` +
        (CONNECTIONS === 50 ? '' : `\n  (measured at c=${CONNECTIONS}, not the target's 50)`),
    );

    // ---- trust: every acknowledged create is in the log, and still there after a crash ------------
    console.log('');
    let lost = false;
    const check = (what: string, added: number) => {
      const ok = acked <= added && added <= sent;
      lost ||= !ok;
      console.log(
        `${what}: samaritan acknowledged ${acked} creates (${sent} sent), its log holds ${added} new incidents: ${ok ? 'ok' : 'MISMATCH'}`,
      );
    };
    check('write check', (await countIncidents(samaritan.base, token!)) - initialIncidents);
    if (CRASH_CHECK) {
      await samaritan.kill();
      servers.splice(servers.indexOf(samaritan), 1);
      const t0 = performance.now();
      samaritan = await startSamaritan(samaritanDir);
      servers.push(samaritan);
      const restartS = (performance.now() - t0) / 1000;
      check(
        `crash check (SIGKILL, restarted in ${restartS.toFixed(1)} s)`,
        (await countIncidents(samaritan.base, token!)) - initialIncidents,
      );
    }
    const bareRows = (await bare.ask({ type: 'count' }, 'count')).rows;
    console.log(
      `bare check: ${bareInserts} inserts returned, the table holds ${bareRows} rows: ${bareRows === bareInserts ? 'ok' : 'MISMATCH'}`,
    );
    lost ||= bareRows !== bareInserts;

    console.log(
      '\nsamaritan: the product, every request authenticated; baseline: the same HTTP request and one fsynced INSERT, nothing else;' +
        '\nbare: one fsynced commit per row, no HTTP, one writer. A side above the bare insert commits several writes per fsync.' +
        `\ntook ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const failed = SIDES.some((s) => m[s].non2xx > 0 || m[s].errors > 0);
    if (failed) console.log('\nSome requests were not answered 2xx: the figures above are not comparable.');
    if (lost) console.log('\nA store does not hold every acknowledged write: see the checks above.');
    if (failed || lost) process.exitCode = 1;
  } finally {
    await bare?.close();
    for (const s of servers) await s.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
