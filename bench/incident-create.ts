// Benchmark: creating incidents (POST /api/incidents) and asking for a recommendation
// (GET /api/incidents/:id/recommendation) on the real server, side by side with a baseline server
// that does the floor of the same durable work (bench/support/baseline-server.ts).
//
//   npx tsx bench/incident-create.ts          (or: npm run bench)
//
// Each scenario's measured time is cut into rounds that alternate between the two servers
// (S B S B … then B S B S … for the next scenario), so a drift in the machine's or the disk's speed
// lands on both sides alike; a side's rounds are merged for its figures.
//
// Knobs (environment): BENCH_DURATION measured seconds per server per scenario (10), BENCH_ROUNDS
// (5), BENCH_WARMUP seconds of unmeasured load per server before each scenario (1),
// BENCH_CONNECTIONS for the writes (1,10,50), BENCH_READ_CONNECTIONS for the reads (1,10),
// BENCH_TMPDIR where the SQLite files go (os.tmpdir()).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runNode, startChild, type ChildServer } from './support/children.ts';
import { drive, median, summarize, type LoadSummary, type RawRun } from './support/load.ts';
import { fmtMs, fmtRate, fmtRatio, machineFacts, table } from './support/report.ts';
import { cycle, incidentBodies } from './support/workload.ts';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
}

function envList(name: string, fallback: readonly number[]): readonly number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${name} must list positive integers, not ${raw}`);
  return xs;
}

// autocannon stops a run only on its once-a-second tick, so runs last whole seconds.
const ROUNDS = Math.max(1, Math.round(envNumber('BENCH_ROUNDS', 5)));
const ROUND_S = Math.max(1, Math.round(envNumber('BENCH_DURATION', 10) / ROUNDS));
const DURATION_S = ROUND_S * ROUNDS;
const WARMUP_S = Math.max(1, Math.round(envNumber('BENCH_WARMUP', 1)));
const WRITE_CONNECTIONS = envList('BENCH_CONNECTIONS', [1, 10, 50]);
const READ_CONNECTIONS = envList('BENCH_READ_CONNECTIONS', [1, 10]);
const READ_IDS = 200;

type Side = 'samaritan' | 'baseline';
const SIDES: readonly Side[] = ['samaritan', 'baseline'];

/** One server under test and how its routes are spelled. */
interface Target {
  readonly side: Side;
  readonly server: ChildServer;
  readonly createPath: string;
  readonly readPath: (id: string) => string;
  /** Sent with every request: Samaritan's bearer token, when it has accounts. */
  readonly headers: Readonly<Record<string, string>>;
  /** Durable records in its store: IncidentReceived events (Samaritan) or rows (baseline). */
  readonly records: () => Promise<number>;
  /** Creates acknowledged with 2xx so far, warm-ups and seeding included. */
  acked: number;
  /** Creates sent so far: autocannon drops the answers of requests in flight when a run stops. */
  sent: number;
}

interface Scenario {
  readonly name: string;
  readonly kind: 'create' | 'read';
  readonly connections: number;
  readonly rounds: Record<Side, RawRun[]>;
  readonly summary: Partial<Record<Side, LoadSummary>>;
}

/**
 * A bearer token for the benchmark, made with the product's own CLI before the server starts
 * (role dispatcher: may create incidents and read recommendations). Undefined for a product that
 * has no accounts yet, whose CLI does not know the command.
 */
async function samaritanToken(dataDir: string): Promise<string | undefined> {
  const r = await runNode(['bin/samaritan.js', 'token', 'create', '--role', 'dispatcher', '--name', 'bench', '--data-dir', dataDir], { LOG_LEVEL: 'warn' });
  if (r.code === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  if (r.code === 2 && r.stderr.includes('unknown command "token"')) return undefined;
  throw new Error(`samaritan token create failed (exit ${r.code}):\n${r.stderr}`);
}

const getJson = async (url: string): Promise<Record<string, unknown>> => (await (await fetch(url)).json()) as Record<string, unknown>;

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'samaritan-bench-'));
  console.log('# incident-create: POST /api/incidents and GET /api/incidents/:id/recommendation vs a minimal durable baseline\n');
  for (const line of machineFacts(tmp)) console.log(line);
  console.log(`runs:        per server and scenario ${WARMUP_S} s warm-up, then ${DURATION_S} s measured in ${ROUNDS} alternating rounds of ${ROUND_S} s; writes at ${WRITE_CONNECTIONS.join(', ')} connections, reads at ${READ_CONNECTIONS.join(', ')}\n`);

  const [samaritanPort, baselinePort] = [await freePort(), await freePort()];
  const servers: ChildServer[] = [];
  try {
    const token = await samaritanToken(join(tmp, 'samaritan'));
    const samaritan = await startChild({
      name: 'samaritan',
      port: samaritanPort,
      args: ['bin/samaritan.js', 'serve', '--port', String(samaritanPort), '--data-dir', join(tmp, 'samaritan')],
      env: { LOG_LEVEL: 'warn' },
      healthPath: '/healthz',
    });
    servers.push(samaritan);
    const baseline = await startChild({
      name: 'baseline',
      port: baselinePort,
      args: ['--import', 'tsx', 'bench/support/baseline-server.ts', '--port', String(baselinePort), '--data-dir', join(tmp, 'baseline')],
      healthPath: '/healthz',
    });
    servers.push(baseline);

    const targets: Target[] = [
      {
        side: 'samaritan',
        server: samaritan,
        createPath: '/api/incidents',
        readPath: (id) => `/api/incidents/${id}/recommendation`,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        records: () => countIncidents(samaritan.base, token === undefined ? {} : { authorization: `Bearer ${token}` }),
        acked: 0,
        sent: 0,
      },
      {
        side: 'baseline',
        server: baseline,
        createPath: '/items',
        readPath: (id) => `/items/${id}`,
        headers: {},
        records: async () => Number((await getJson(`${baseline.base}/healthz`))['rows']),
        acked: 0,
        sent: 0,
      },
    ];
    const initialRecords = new Map<Side, number>();
    for (const t of targets) initialRecords.set(t.side, await t.records());
    console.log(`servers:     samaritan pid ${samaritan.pid} at ${samaritan.base}, baseline pid ${baseline.pid} at ${baseline.base}`);
    console.log(`auth:        ${token === undefined ? 'none (this Samaritan has no accounts)' : 'samaritan requests carry a dispatcher bearer token; the baseline has no auth'}\n`);

    const bodies = incidentBodies(2000);
    const nextBody = cycle(bodies);
    const createLoad = (t: Target, connections: number, durationS: number) =>
      drive({ base: t.server.base, method: 'POST', headers: t.headers, connections, durationS, next: () => ({ path: t.createPath, body: nextBody() }) });

    const count = (t: Target, ...runs: RawRun[]) => {
      for (const r of runs) {
        t.acked += r.ok;
        t.sent += r.sent;
      }
    };
    const scenarios: Scenario[] = [];
    /** Warms both servers, then runs ROUNDS alternating rounds on each; prints the merged figures. */
    const measure = async (scenario: Scenario, load: (t: Target, durationS: number) => Promise<RawRun>) => {
      // Alternate which side goes first from one scenario to the next.
      const order = scenarios.length % 2 === 0 ? targets : [...targets].reverse();
      scenarios.push(scenario);
      for (const t of order) {
        const warm = await load(t, WARMUP_S);
        if (scenario.kind === 'create') count(t, warm);
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const t of order) {
          const r = await load(t, ROUND_S);
          if (scenario.kind === 'create') count(t, r);
          scenario.rounds[t.side].push(r);
        }
      }
      for (const t of targets) {
        const r = summarize(scenario.rounds[t.side]);
        scenario.summary[t.side] = r;
        const odd = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2'));
        console.log(
          `  ${scenario.name.padEnd(15)} ${t.side.padEnd(9)} ${fmtRate(r.reqPerS).padStart(6)} req/s` +
            `  p50 ${fmtMs(r.p50)}  p90 ${fmtMs(r.p90)}  p99 ${fmtMs(r.p99)}  max ${fmtMs(r.max)} ms` +
            `  non-2xx ${r.non2xx}  errors ${r.errors}` +
            (odd.length > 0 ? `  (${odd.map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''),
        );
      }
    };
    const newScenario = (name: string, kind: Scenario['kind'], connections: number): Scenario => ({
      name,
      kind,
      connections,
      rounds: { samaritan: [], baseline: [] },
      summary: {},
    });

    // A first warm-up per server: JIT, SQLite page cache, the WAL file's first growth.
    for (const t of targets) count(t, await createLoad(t, 10, 3));

    for (const c of WRITE_CONNECTIONS) {
      await measure(newScenario(`create c=${c}`, 'create', c), (t, d) => createLoad(t, c, d));
    }

    // Reads need incidents to read: create READ_IDS more on each side and keep their ids.
    const ids = new Map<Side, string[]>();
    for (const t of targets) {
      const got: string[] = [];
      for (const body of bodies.slice(0, READ_IDS)) {
        const res = await fetch(t.server.base + t.createPath, { method: 'POST', headers: { ...t.headers, 'content-type': 'application/json' }, body });
        const json = (await res.json()) as { id?: string };
        if (res.status !== 201 || typeof json.id !== 'string') throw new Error(`${t.side}: seeding answered ${res.status}`);
        got.push(json.id);
        t.acked += 1;
        t.sent += 1;
      }
      ids.set(t.side, got);
    }
    for (const c of READ_CONNECTIONS) {
      const nextId = new Map(SIDES.map((side) => [side, cycle(ids.get(side) ?? [])]));
      await measure(newScenario(`recommend c=${c}`, 'read', c), (t, d) =>
        drive({ base: t.server.base, method: 'GET', headers: t.headers, connections: c, durationS: d, next: () => ({ path: t.readPath(nextId.get(t.side)!()) }) }),
      );
    }

    // Every acknowledged create must be in the store (one event for Samaritan, one row for the
    // baseline); a request still in flight when a run stopped may have been stored unanswered.
    console.log('');
    let lostWrites = false;
    for (const t of targets) {
      const added = (await t.records()) - (initialRecords.get(t.side) ?? 0);
      const ok = t.acked <= added && added <= t.sent;
      lostWrites ||= !ok;
      console.log(
        `write check: ${t.side} acknowledged ${t.acked} creates (${t.sent} sent), store gained ${added} records: ` +
          (ok ? 'ok' : 'MISMATCH'),
      );
    }

    const rate = (r: RawRun) => r.ok / r.durationS;
    const p99 = (r: RawRun) => summarize([r]).p99;
    /** min–max of the per-round samaritan/baseline ratios (round i of one side against round i of the other). */
    const spread = (sc: Scenario, f: (r: RawRun) => number) => {
      const ratios = sc.rounds.samaritan.map((r, i) => {
        const b = sc.rounds.baseline[i];
        return b === undefined ? Number.NaN : f(r) / f(b);
      });
      const ok = ratios.filter(Number.isFinite);
      return ok.length === 0 ? '-' : `${Math.min(...ok).toFixed(2)}–${Math.max(...ok).toFixed(2)} (med ${median(ok).toFixed(2)})`;
    };
    const rows = scenarios.map((sc) => {
      const a = sc.summary.samaritan;
      const b = sc.summary.baseline;
      return [
        sc.name,
        fmtRate(a?.reqPerS ?? NaN),
        fmtRate(b?.reqPerS ?? NaN),
        fmtRatio(a?.reqPerS ?? NaN, b?.reqPerS ?? NaN),
        spread(sc, rate),
        fmtMs(a?.p99 ?? NaN),
        fmtMs(b?.p99 ?? NaN),
        fmtRatio(a?.p99 ?? NaN, b?.p99 ?? NaN),
        spread(sc, p99),
      ];
    });
    console.log('\n## Samaritan vs baseline (ratio = samaritan / baseline: req/s ratio < 1 and p99 ratio > 1 mean Samaritan is slower)\n');
    console.log(
      table(
        ['scenario', 'samaritan req/s', 'baseline req/s', 'ratio', `per-round ratio (${ROUNDS})`, 'samaritan p99 ms', 'baseline p99 ms', 'ratio', `per-round ratio (${ROUNDS})`],
        rows,
      ),
    );

    const detail = scenarios.flatMap((sc) =>
      SIDES.map((side) => {
        const r = sc.summary[side];
        return [sc.name, side, fmtRate(r?.reqPerS ?? NaN), fmtMs(r?.p50 ?? NaN), fmtMs(r?.p90 ?? NaN), fmtMs(r?.p99 ?? NaN), fmtMs(r?.max ?? NaN), String(r?.non2xx ?? '-'), String(r?.errors ?? '-')];
      }),
    );
    console.log('\n## All figures (latency in ms over every answer; req/s counts 2xx only)\n');
    console.log(table(['scenario', 'server', 'req/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'errors'], detail));
    console.log(
      '\ncreate:    samaritan POST /api/incidents  vs baseline POST /items (validate, one fsynced INSERT, 201)' +
        '\nrecommend: samaritan GET /api/incidents/:id/recommendation  vs baseline GET /items/:id (one row by key)' +
        `\ntook ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const failed = scenarios.some((sc) => Object.values(sc.summary).some((r) => r.non2xx > 0 || r.errors > 0));
    if (failed) console.log('\nSome requests were not answered 2xx: the figures above are not comparable.');
    if (lostWrites) console.log('\nA store does not hold every acknowledged create: see the write check.');
    if (failed || lostWrites) process.exitCode = 1;
  } finally {
    for (const s of servers) await s.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

/**
 * Incidents in Samaritan's log, counted as IncidentReceived events: a create of a nature that
 * wants volunteers also writes the volunteer response's events, so the log head is no count.
 */
async function countIncidents(base: string, headers: Record<string, string>): Promise<number> {
  let after = 0;
  let n = 0;
  for (;;) {
    const res = await fetch(`${base}/api/events?after=${after}&limit=1000`, { headers });
    const body = (await res.json()) as { events?: { seq: number; type: string }[] };
    const events = body.events ?? [];
    if (events.length === 0) return n;
    n += events.filter((e) => e.type === 'IncidentReceived').length;
    after = events[events.length - 1]!.seq;
  }
}
