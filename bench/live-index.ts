// Benchmark: the live index of moving points (src/geo/live-index.ts) side by side with PostGIS KNN
// and Redis GEOSEARCH, on the same points, the same queries and the same updates, in one run.
//
//   npx tsx bench/live-index.ts          (or: npm run bench -- live-index)
//
// The bench installs nothing. PostGIS and Redis run as throwaway servers on 127.0.0.1 in a temp
// dir when their binaries are here; when one is missing it prints the apt-get line and skips that
// column. Every load loop is bounded in count and in time.
//
// Knobs (environment): BENCH_POINTS (1000000), BENCH_QUERIES for the index (20000),
// BENCH_BASELINE_QUERIES for PostGIS and Redis (2000), BENCH_UPDATES (2000000),
// BENCH_SECONDS time cap of each load loop (20), BENCH_CELL_M (the index's default),
// BENCH_RADIUS_M of the radius queries (500, the Paris volunteer rule), BENCH_BASELINES
// (postgis,redis; empty for the index alone).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chownSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import pg from 'pg';
import { UNIT_STATUSES } from '../src/core/statuses.ts';
import { DEFAULT_CELL_SIZE_M, LiveIndex } from '../src/geo/live-index.ts';
import { ResponderAttrs } from '../src/geo/responder-attrs.ts';
import { freePort } from './support/children.ts';
import { fmtMs, fmtRate, table } from './support/report.ts';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
};
const N = Math.round(env('BENCH_POINTS', 1_000_000));
const QUERIES = Math.round(env('BENCH_QUERIES', 20_000));
const BASE_QUERIES = Math.round(env('BENCH_BASELINE_QUERIES', 2_000));
const UPDATES = Math.round(env('BENCH_UPDATES', 2_000_000));
const LOOP_MS = env('BENCH_SECONDS', 20) * 1000;
const CELL_M = env('BENCH_CELL_M', DEFAULT_CELL_SIZE_M);
const RADIUS_M = env('BENCH_RADIUS_M', 500);
const K = 10;
const STALE_MS = 300_000;

// ---- the workload: one seeded draw shared by every system --------------------------------------
// San Francisco's bounding box; 1 % units, 99 % volunteers; fixes up to 400 s old, so a quarter
// are stale at the 300 s cut. The query filter: available volunteers with CPR (about 18 % pass).
const BOX = { lat0: 37.7, lat1: 37.81, lon0: -122.515, lon1: -122.355 };
const NOW = 1_764_000_000_000;
const attrsOf = new ResponderAttrs(['engine', 'pump', 'bls', 'ladder', 'rescue', 'als', 'transport']);
const FILTER = attrsOf.availableVolunteers(['cpr']);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const rnd = mulberry32(20_26);
const idOf = (i: number): string => (i % 100 === 0 ? 'unit-' : 'volunteer-') + String(i).padStart(7, '0');

const lat = new Float64Array(N);
const lon = new Float64Array(N);
const at = new Float64Array(N);
const attrs = new Uint32Array(N);
for (let i = 0; i < N; i++) {
  lat[i] = BOX.lat0 + rnd() * (BOX.lat1 - BOX.lat0);
  lon[i] = BOX.lon0 + rnd() * (BOX.lon1 - BOX.lon0);
  at[i] = NOW - Math.floor(rnd() * 400_000);
  attrs[i] =
    i % 100 === 0
      ? attrsOf.unit(rnd() < 0.6 ? 'available' : UNIT_STATUSES[Math.floor(rnd() * UNIT_STATUSES.length)]!, rnd() < 0.5 ? ['engine', 'pump', 'bls'] : ['als', 'transport'])
      : attrsOf.volunteer(rnd() < 0.6, [...(rnd() < 0.4 ? (['cpr'] as const) : []), ...(rnd() < 0.2 ? (['aed'] as const) : []), ...(rnd() < 0.3 ? (['first_aid'] as const) : [])]);
}
const qLat = Float64Array.from({ length: QUERIES }, () => BOX.lat0 + rnd() * (BOX.lat1 - BOX.lat0));
const qLon = Float64Array.from({ length: QUERIES }, () => BOX.lon0 + rnd() * (BOX.lon1 - BOX.lon0));
// Updates: a random point moves by up to ±15 m each way (a vehicle at speed between 1 s fixes).
const uWho = new Int32Array(UPDATES);
const uLat = new Float64Array(UPDATES);
const uLon = new Float64Array(UPDATES);
for (let k = 0; k < UPDATES; k++) {
  const i = Math.floor(rnd() * N);
  uWho[k] = i;
  uLat[k] = Math.min(90, lat[i]! + (rnd() - 0.5) * 0.00027);
  uLon[k] = lon[i]! + (rnd() - 0.5) * 0.00034;
}
const updateAt = (k: number): number => NOW + 1 + Math.floor(k / 1000);

// ---- helpers ---------------------------------------------------------------------------------
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapBytes = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const fmtMs3 = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : '-');
// Throwaway servers are stopped on the way out, also when the run is interrupted.
const cleanups = new Set<() => void>();
const cleanUp = () => {
  for (const c of cleanups) c();
  cleanups.clear();
};
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One system's figures; `agreement` / `sameSet`: share of top-10 lists (sets) equal to the index's. */
const blank = (name: string, note: string) => ({ name, note, updatesPerS: NaN, knnP50: NaN, knnP99: NaN, radiusP99: NaN, radiusMean: NaN, bytesPerPoint: NaN, loadS: NaN, agreement: NaN, sameSet: NaN });
type Column = ReturnType<typeof blank>;

/** Runs fn for i = 0… until count or the time cap; returns per-call times (ms). */
async function timed(count: number, fn: (i: number) => unknown): Promise<number[]> {
  const times: number[] = [];
  const deadline = performance.now() + LOOP_MS;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const t = performance.now();
    const r = fn(i);
    if (r instanceof Promise) await r; // only the baselines' calls are asynchronous
    times.push(performance.now() - t);
  }
  return times;
}

// ---- the live index --------------------------------------------------------------------------
const ours = blank('LiveIndex (in process)', `cell ${CELL_M} m`);
const ourTop: string[][] = [];
{
  const before = heapBytes();
  const index = new LiveIndex({ cellSizeM: CELL_M, staleAfterMs: STALE_MS, initialCapacity: N });
  // Ids arrive in request bodies: parse them from JSON, as the server would (flat strings).
  let loadMs = 0;
  for (let from = 0; from < N; from += 10_000) {
    const ids = JSON.parse(JSON.stringify(Array.from({ length: Math.min(10_000, N - from) }, (_, j) => idOf(from + j)))) as string[];
    const t = performance.now();
    for (let j = 0; j < ids.length; j++) index.upsert(ids[j]!, lat[from + j]!, lon[from + j]!, at[from + j]!, attrs[from + j]!);
    loadMs += performance.now() - t;
  }
  ours.loadS = loadMs / 1000;
  ours.bytesPerPoint = (heapBytes() - before) / N;
  ours.note += `, typed arrays ${(index.typedArrayBytes / N).toFixed(0)} B/point of that`;
  const q = { now: NOW, filter: FILTER };
  const knnOnce = async (count: number) => pct(await timed(count, (i) => index.nearest(qLat[i]!, qLon[i]!, K, q)), 0.99);
  ours.note += `; kNN p99 before compact() ${fmtMs3(await knnOnce(Math.min(QUERIES, 5_000)))} ms`;
  const tc = performance.now();
  index.compact();
  ours.note += `; compact() after the load took ${(performance.now() - tc).toFixed(0)} ms`;
  for (let i = 0; i < 2_000; i++) index.nearest(qLat[i % QUERIES]!, qLon[i % QUERIES]!, K, q); // warm-up
  const knn = await timed(QUERIES, (i) => {
    const r = index.nearest(qLat[i]!, qLon[i]!, K, q);
    if (i < BASE_QUERIES) ourTop.push(r.map((n) => n.id));
  });
  [ours.knnP50, ours.knnP99] = [pct(knn, 0.5), pct(knn, 0.99)];
  let found = 0;
  const radius = await timed(Math.min(QUERIES, 5_000), (i) => (found += index.within(qLat[i]!, qLon[i]!, RADIUS_M, q).length));
  ours.radiusP99 = pct(radius, 0.99);
  ours.radiusMean = found / radius.length;
  // Updates arrive as POST /api/positions bodies: each batch's ids are freshly parsed strings.
  // Only the index calls are timed (the server parses the body anyway). The first half of the
  // moves goes through upsertMany (the batch path), the second through upsert one at a time.
  const half = Math.floor(UPDATES / 2);
  const runUpdates = (from: number, to: number, batched: boolean): number => {
    let done = from;
    let ms = 0;
    const deadline = performance.now() + LOOP_MS / 2;
    while (done < to && performance.now() < deadline) {
      const end = Math.min(to, done + 1_000);
      const body = JSON.stringify(Array.from({ length: end - done }, (_, j) => ({ id: idOf(uWho[done + j]!), lat: uLat[done + j]!, lon: uLon[done + j]! })));
      // Object literals of one shape, as the server builds them from a validated body (objects
      // made by spreading parsed JSON are several times slower to read in V8).
      const fixes = (JSON.parse(body) as { id: string; lat: number; lon: number }[]).map((x, j) => ({ id: x.id, lat: x.lat, lon: x.lon, atMs: updateAt(done + j), attrs: attrs[uWho[done + j]!]! }));
      const t = performance.now();
      if (batched) index.upsertMany(fixes);
      else for (const x of fixes) index.upsert(x.id, x.lat, x.lon, x.atMs, x.attrs);
      ms += performance.now() - t;
      done = end;
    }
    return (done - from) / (ms / 1000);
  };
  ours.updatesPerS = runUpdates(0, half, true);
  ours.note += `; upsert() one fix at a time: ${fmtRate(runUpdates(half, UPDATES, false))} updates/s`;
  ours.agreement = 1;
  ours.sameSet = 1;
}

const agreement = (top: string[][]): [number, number] => {
  const share = (same: (a: string[], b: string[]) => boolean) => top.filter((ids, i) => same(ids, ourTop[i] ?? [])).length / Math.max(1, top.length);
  return [share((a, b) => a.join() === b.join()), share((a, b) => [...a].sort().join() === [...b].sort().join())];
};
const matchesFilter = (i: number): boolean => (attrs[i]! & FILTER.all) === FILTER.all && NOW - at[i]! <= STALE_MS;

// ---- PostGIS ---------------------------------------------------------------------------------
async function postgis(): Promise<Column> {
  const bin = '/usr/lib/postgresql/15/bin';
  if (!existsSync(`${bin}/initdb`) || !existsSync('/usr/share/postgresql/15/extension/postgis.control')) {
    return blank('PostGIS', 'skipped: not installed (apt-get install -y postgresql-15 postgresql-15-postgis-3)');
  }
  const col = blank('PostGIS 3 KNN (GiST, geography)', 'unlogged table, fsync off; filter and staleness in WHERE');
  const dir = mkdtempSync(join(tmpdir(), 'live-index-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const run = (cmd: string, args: string[]) => execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await freePort();
  const data = join(dir, 'data');
  run(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c max_wal_size=4GB`;
  run(`${bin}/pg_ctl`, ['-D', data, '-l', join(dir, 'log'), '-w', '-o', opts, 'start']);
  const stop = () => {
    run(`${bin}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(stop);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await client.query('CREATE EXTENSION postgis');
    const version = (await client.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0]?.v ?? '?';
    col.note = `PostGIS ${version}; ${col.note}`;
    await client.query('CREATE UNLOGGED TABLE live_points (id text PRIMARY KEY, geog geography(Point, 4326) NOT NULL, at_ms bigint NOT NULL, attrs integer NOT NULL)');
    const t0 = performance.now();
    for (let from = 0; from < N; from += 20_000) {
      const to = Math.min(N, from + 20_000);
      const idx = Array.from({ length: to - from }, (_, j) => from + j);
      await client.query(
        'INSERT INTO live_points SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, at, attrs FROM unnest($1::text[], $2::float8[], $3::float8[], $4::int8[], $5::int4[]) AS t(id, lon, lat, at, attrs)',
        [idx.map(idOf), idx.map((i) => lon[i]!), idx.map((i) => lat[i]!), idx.map((i) => at[i]!), idx.map((i) => attrs[i]! | 0)],
      );
    }
    await client.query('CREATE INDEX live_points_geog ON live_points USING gist (geog)');
    await client.query('VACUUM ANALYZE live_points');
    col.loadS = (performance.now() - t0) / 1000;
    col.bytesPerPoint = (Number((await client.query<{ s: string }>("SELECT pg_total_relation_size('live_points') AS s")).rows[0]?.s)) / N;
    const knnSql = {
      name: 'knn',
      text: 'SELECT id FROM live_points WHERE (attrs & $3) = $3 AND at_ms >= $4 ORDER BY geog <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography LIMIT 10',
    };
    const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${knnSql.text.replace(/\$(\d)/g, (_, d: string) => ['', '-122.44', '37.75', String(FILTER.all), String(NOW - STALE_MS)][Number(d)]!)}`)).rows.map((r) => r['QUERY PLAN']).join(' ');
    if (!plan.includes('live_points_geog')) col.note += '; WARNING: the KNN plan does not use the GiST index';
    const top: string[][] = [];
    const knnArgs = (i: number) => [qLon[i]!, qLat[i]!, FILTER.all, NOW - STALE_MS];
    for (let i = 0; i < 200; i++) await client.query({ ...knnSql, values: knnArgs(i) }); // warm-up
    const knn = await timed(BASE_QUERIES, async (i) => top.push((await client.query<{ id: string }>({ ...knnSql, values: knnArgs(i) })).rows.map((r) => r.id)));
    [col.knnP50, col.knnP99] = [pct(knn, 0.5), pct(knn, 0.99)];
    [col.agreement, col.sameSet] = agreement(top);
    let found = 0;
    const radiusSql = {
      name: 'radius',
      text: 'SELECT id FROM live_points WHERE ST_DWithin(geog, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $5, false) AND (attrs & $3) = $3 AND at_ms >= $4 ORDER BY geog <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography',
    };
    const radius = await timed(Math.min(BASE_QUERIES, 1_000), async (i) => (found += (await client.query({ ...radiusSql, values: [...knnArgs(i), RADIUS_M] })).rowCount ?? 0));
    [col.radiusP99, col.radiusMean] = [pct(radius, 0.99), found / radius.length];
    let done = 0;
    const t1 = performance.now();
    while (done < UPDATES && performance.now() < t1 + LOOP_MS) {
      const ks = Array.from({ length: Math.min(1_000, UPDATES - done) }, (_, j) => done + j);
      await client.query(
        'UPDATE live_points p SET geog = ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)::geography, at_ms = u.at FROM unnest($1::text[], $2::float8[], $3::float8[], $4::int8[]) AS u(id, lon, lat, at) WHERE p.id = u.id AND u.at >= p.at_ms',
        [ks.map((k) => idOf(uWho[k]!)), ks.map((k) => uLon[k]!), ks.map((k) => uLat[k]!), ks.map(updateAt)],
      );
      done += ks.length;
    }
    col.updatesPerS = done / ((performance.now() - t1) / 1000);
    col.note += '; updates: UPDATE … FROM unnest, 1,000 a statement';
    return col;
  } finally {
    await client.end().catch(() => undefined);
    cleanups.delete(stop);
    stop();
  }
}

// ---- Redis -----------------------------------------------------------------------------------
function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function redis(): Promise<Column> {
  const bin = which('redis-server');
  if (!bin) return blank('Redis', 'skipped: not installed (apt-get install -y redis-server)');
  const version = /v=(\S+)/.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  const col = blank(`Redis ${version} GEOSEARCH`, `one GEO key for the filter class (fresh, available, CPR volunteers); kNN = BYRADIUS ${RADIUS_M} m ASC COUNT 10`);
  const dir = mkdtempSync(join(tmpdir(), 'live-index-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(kill);
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined); // refused connections while the server starts; commands still reject
  try {
    for (let tries = 0; ; tries++) {
      try {
        await client.connect();
        break;
      } catch (e) {
        if (tries > 50) throw e;
        await sleep(100);
      }
    }
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
    const before = await used();
    const t0 = performance.now();
    for (let from = 0; from < N; from += 10_000) {
      const all: (string | number)[] = [];
      const cls: (string | number)[] = [];
      for (let i = from; i < Math.min(N, from + 10_000); i++) {
        all.push(lon[i]!, lat[i]!, idOf(i));
        if (matchesFilter(i)) cls.push(lon[i]!, lat[i]!, idOf(i));
      }
      const p = client.pipeline().geoadd('geo:all', ...all);
      if (cls.length > 0) p.geoadd('geo:class', ...cls);
      await p.exec();
    }
    col.loadS = (performance.now() - t0) / 1000;
    col.bytesPerPoint = ((await used()) - before) / N;
    const knnOf = async (i: number) => (await client.call('GEOSEARCH', 'geo:class', 'FROMLONLAT', qLon[i]!, qLat[i]!, 'BYRADIUS', RADIUS_M, 'm', 'ASC', 'COUNT', K)) as string[];
    for (let i = 0; i < 200; i++) await knnOf(i);
    const top: string[][] = [];
    const knn = await timed(BASE_QUERIES, async (i) => top.push(await knnOf(i)));
    [col.knnP50, col.knnP99] = [pct(knn, 0.5), pct(knn, 0.99)];
    [col.agreement, col.sameSet] = agreement(top);
    let found = 0;
    const radius = await timed(Math.min(BASE_QUERIES, 1_000), async (i) => (found += ((await client.call('GEOSEARCH', 'geo:class', 'FROMLONLAT', qLon[i]!, qLat[i]!, 'BYRADIUS', RADIUS_M, 'm', 'ASC')) as string[]).length));
    [col.radiusP99, col.radiusMean] = [pct(radius, 0.99), found / radius.length];
    let done = 0;
    const t1 = performance.now();
    while (done < UPDATES && performance.now() < t1 + LOOP_MS) {
      const all: (string | number)[] = [];
      const cls: (string | number)[] = [];
      const end = Math.min(UPDATES, done + 1_000);
      for (let k = done; k < end; k++) {
        const i = uWho[k]!;
        all.push(uLon[k]!, uLat[k]!, idOf(i));
        if ((attrs[i]! & FILTER.all) === FILTER.all) cls.push(uLon[k]!, uLat[k]!, idOf(i)); // now fresh: in the class
      }
      const p = client.pipeline().geoadd('geo:all', ...all);
      if (cls.length > 0) p.geoadd('geo:class', ...cls);
      await p.exec();
      done = end;
    }
    col.updatesPerS = done / ((performance.now() - t1) / 1000);
    col.note += '; updates: GEOADD 1,000 members a command to geo:all and the class key; no staleness in Redis (a sweeper would ZREM)';
    return col;
  } finally {
    client.disconnect();
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    cleanups.delete(kill);
    kill();
  }
}

// ---- report ----------------------------------------------------------------------------------
const columns: Column[] = [ours];
const wanted = (process.env['BENCH_BASELINES'] ?? 'postgis,redis').split(',');
for (const [name, fn] of [['PostGIS', postgis], ['Redis', redis]] as const) {
  if (!wanted.includes(name.toLowerCase())) {
    columns.push(blank(name, 'skipped: not in BENCH_BASELINES'));
    continue;
  }
  try {
    columns.push(await fn());
  } catch (e) {
    columns.push(blank(name, `skipped: failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`));
    if (process.env['BENCH_DEBUG']) console.error(e);
  }
}
const times = (ourX: number, theirs: number) => (Number.isFinite(ourX / theirs) ? `${(ourX / theirs).toFixed(1)}×` : '-');
const rows: [string, (c: Column) => string, (c: Column) => string][] = [
  ['updates/s (batches of 1,000)', (c) => fmtRate(c.updatesPerS), (c) => times(ours.updatesPerS, c.updatesPerS)],
  [`kNN p50 ms (k=${K}, filter)`, (c) => fmtMs3(c.knnP50), (c) => times(c.knnP50, ours.knnP50)],
  [`kNN p99 ms (k=${K}, filter)`, (c) => fmtMs3(c.knnP99), (c) => times(c.knnP99, ours.knnP99)],
  [`radius ${RADIUS_M} m p99 ms`, (c) => fmtMs3(c.radiusP99), (c) => times(c.radiusP99, ours.radiusP99)],
  ['radius: points found (mean)', (c) => (Number.isFinite(c.radiusMean) ? c.radiusMean.toFixed(0) : '-'), () => ''],
  ['bytes/point', (c) => (Number.isFinite(c.bytesPerPoint) ? c.bytesPerPoint.toFixed(0) : '-'), (c) => times(c.bytesPerPoint, ours.bytesPerPoint)],
  ['initial load s', (c) => fmtMs(c.loadS), (c) => times(c.loadS, ours.loadS)],
  ['top-10 lists equal to LiveIndex', (c) => (Number.isFinite(c.agreement) ? `${(100 * c.agreement).toFixed(1)} %` : '-'), () => ''],
  ['top-10 sets equal to LiveIndex', (c) => (Number.isFinite(c.sameSet) ? `${(100 * c.sameSet).toFixed(1)} %` : '-'), () => ''],
];
console.log(`# live-index: ${N.toLocaleString('en')} moving points in San Francisco's box; filter = available volunteers with CPR; stale after ${STALE_MS / 1000} s`);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share these CPUs)`);
console.log(`queries: index ${QUERIES}, baselines ${BASE_QUERIES} each (the same points: the first ones); updates: up to ${UPDATES.toLocaleString('en')} moves of ≤ 15 m in batches of 1,000, each loop capped at ${LOOP_MS / 1000} s\n`);
const header = ['', ...columns.flatMap((c, i) => (i === 0 ? [c.name] : [c.name, 'LiveIndex ×']))];
console.log(table(header, rows.map(([label, value, ratio]) => [label, ...columns.flatMap((c, i) => (i === 0 ? [value(c)] : [value(c), ratio(c)]))])));
console.log('\n"LiveIndex ×": how many times faster (or smaller) the index is than that column.');
console.log('Baselines answer over loopback TCP from another process; the index answers in process. That is the deployment each would have.');
console.log('Redis keeps positions as 52-bit geohashes (about 0.5 m steps here), so near-equal distances may come out in another order.');
for (const c of columns) console.log(`- ${c.name}: ${c.note}`);
console.log(`targets: ≥ 1,000,000 updates/s: ${ours.updatesPerS >= 1e6 ? 'met' : 'NOT met'}; kNN p99 ≤ 0.2 ms: ${ours.knnP99 <= 0.2 ? 'met' : 'NOT met'}; ≤ 150 bytes/point: ${ours.bytesPerPoint <= 150 ? 'met' : 'NOT met'}`);
