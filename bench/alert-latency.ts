// Benchmark: from an incident acknowledged (the answer of POST /api/incidents) to its first alert
// leaving the queue (the worker handing it to a channel), with 100k volunteers in the live index.
//
//   npx tsx bench/alert-latency.ts          (or: npm run bench -- alert-latency)
//
// One process: the real product (openSamaritan + buildServer on a fresh SQLite data dir, the SF
// road graph, the response engine, timers, outbox and worker), driven over real HTTP on loopback.
// Volunteers are synthetic: uniform in the San Francisco box, 20 % on duty (CPR, verified, signed
// in on a device), registered through the core's decisions in the log; their phones' positions are
// put straight into the live index. Alerts go out through the webhook channel to a local gateway
// (the volunteers have no app connected), so every alert has a channel to leave by.
//
// Incidents (cardiac arrests in public places at random street points) go one at a time, each after
// the previous one's pipeline has settled, so the figures are the unloaded latency. The candidate
// search alternates incident by incident between the live index and a brute-force scan of the same
// points (the baseline), so drift on this shared machine falls on both alike.
//
// Knobs: BENCH_VOLUNTEERS (100000), BENCH_INCIDENTS (200), BENCH_AVAILABLE (0.2).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartTimings } from '../src/reactors/response-engine.ts';
import { openSamaritan } from '../src/composition/samaritan.ts';
import type { Command } from '../src/core/commands.ts';
import { systemActor } from '../src/core/actor.ts';
import { epochMs } from '../src/core/ids.ts';
import type { RecordWrite } from '../src/store/record-writes.ts';
import { BruteForceIndex } from '../src/geo/brute-force-index.ts';
import type { MovingPointIndex, PointFix } from '../src/geo/moving-point-index.ts';
import { buildServer } from '../src/server/app.ts';
import { fmtMs, machineFacts, table } from './support/report.ts';
import { seededRandom } from '../src/core/seeded-random.ts';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
};
const VOLUNTEERS = Math.round(env('BENCH_VOLUNTEERS', 100_000));
const INCIDENTS = Math.round(env('BENCH_INCIDENTS', 200));
const AVAILABLE = env('BENCH_AVAILABLE', 0.2);
const BOX = { lat0: 37.708, lat1: 37.812, lon0: -122.515, lon1: -122.357 };

// The same seed, the same volunteers and incidents.
const random = seededRandom(2025_06_01);
const inBox = () => ({
  lat: Math.round((BOX.lat0 + random() * (BOX.lat1 - BOX.lat0)) * 1e6) / 1e6,
  lon: Math.round((BOX.lon0 + random() * (BOX.lon1 - BOX.lon0)) * 1e6) / 1e6,
});

/** The candidate index the engine searches: the live index or the brute-force scan, switched per incident. */
class Switch implements MovingPointIndex {
  constructor(public current: MovingPointIndex) {}
  get size() {
    return this.current.size;
  }
  upsert(id: string, lat: number, lon: number, atMs: number, attrs: number) {
    return this.current.upsert(id, lat, lon, atMs, attrs);
  }
  upsertMany(fixes: readonly PointFix[]) {
    return this.current.upsertMany(fixes);
  }
  remove(id: string) {
    return this.current.remove(id);
  }
  setAttrs(id: string, attrs: number) {
    return this.current.setAttrs(id, attrs);
  }
  get(id: string) {
    return this.current.get(id);
  }
  nearest(...a: Parameters<MovingPointIndex['nearest']>) {
    return this.current.nearest(...a);
  }
  within(...a: Parameters<MovingPointIndex['within']>) {
    return this.current.within(...a);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'samaritan-alert-latency-'));
const gatewayHits: number[] = [];
const gateway = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    gatewayHits.push(performance.now());
    res.end();
  });
});
await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));

const timings = new Map<string, StartTimings>();
const handOff = new Map<string, number>();
const brute = new BruteForceIndex(300_000);
const switcher = new Switch(brute);

console.log(machineFacts(dataDir).filter((l) => !l.startsWith('load:')).join('\n'));
console.log(`\nvolunteers ${VOLUNTEERS} (${Math.round(AVAILABLE * 100)} % on duty), incidents ${INCIDENTS}\n`);

const t0 = performance.now();
const app = await openSamaritan({
  dataDir,
  demoVolunteers: false,
  responders: {
    webhook: { url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`, secret: 'bench-secret-0123456789abcdef' },
    candidateIndex: switcher,
    onTimings: (t) => timings.set(t.incidentId, t),
    worker: {
      onHandOff: (m, _channel, at) => {
        if (m.kind === 'alert' && !handOff.has(m.incidentId)) handOff.set(m.incidentId, at);
      },
    },
  },
});
switcher.current = app.positions.index;

// ---- the population ------------------------------------------------------------------------------
const now = app.clock();
const available = Math.round(VOLUNTEERS * AVAILABLE);
const commandsOf = (id: string, on: boolean): Command[] => [
  { type: 'RegisterVolunteer', now: epochMs(now), volunteerId: id, languages: [], locationConsent: true },
  { type: 'DeclareQualification', now: epochMs(now), volunteerId: id, kind: 'cpr', expiresAt: epochMs(now + 365 * 86_400_000) },
  { type: 'VerifyQualification', now: epochMs(now), volunteerId: id, kind: 'cpr', by: 'bench' },
  ...(on ? [{ type: 'SetAvailability', now: epochMs(now), volunteerId: id, available: true } as Command] : []),
];
const fixes: PointFix[] = [];
const onDuty = app.positions.attrs.volunteer(true, ['cpr']);
const offDuty = app.positions.attrs.volunteer(false, ['cpr']);
const commands: Command[] = [];
const tokens: RecordWrite[] = [];
for (let i = 0; i < VOLUNTEERS; i++) {
  const id = `B${String(i).padStart(6, '0')}`;
  const on = i < available;
  commands.push(...commandsOf(id, on));
  fixes.push({ id, ...inBox(), atMs: now, attrs: on ? onDuty : offDuty });
  // A signed-in phone for each on-duty volunteer, so the delivery gate lets their alerts out.
  if (on) {
    tokens.push({
      type: 'credential.add',
      token: { id: `bench${i}`, kind: 'device', name: 'bench phone', role: 'volunteer', scopes: [], subject: id, hash: 'x', createdAt: new Date(now).toISOString() },
    });
  }
}
// Registered through the one writer, in batches, as the demo population is.
for (let i = 0; i < commands.length; i += 20_000) {
  const results = await app.writer.executeAll(commands.slice(i, i + 20_000), { actor: systemActor('bench'), ...(i === 0 ? { records: tokens } : {}) });
  const refused = results.find((r) => !r.ok);
  if (refused && !refused.ok) throw new Error(`bench population: ${refused.message}`);
}
app.positions.index.upsertMany(fixes);
brute.upsertMany(fixes);
console.log(`population: ${VOLUNTEERS} registered and placed in ${((performance.now() - t0) / 1000).toFixed(1)} s (index ${app.positions.index.size} points)`);

// ---- the incidents -------------------------------------------------------------------------------
const server = await buildServer(app, { logger: false });
const answered = new Map<string, number>();
server.addHook('onResponse', async (req, reply) => {
  if (req.method !== 'POST' || req.routeOptions.url !== '/api/incidents') return;
  const where = reply.getHeader('location');
  if (typeof where === 'string') answered.set(where.slice('/api/incidents/'.length), performance.now());
});
const base = await server.listen({ port: 0, host: '127.0.0.1' });
const token = (await app.accounts.createToken({ name: 'bench', role: 'call_taker', by: 'bench' })).token;

const scenes: { lat: number; lon: number }[] = [];
while (scenes.length < INCIDENTS + 10) {
  const p = inBox();
  const snapped = app.router.snap(p, 'walk');
  if (snapped !== undefined && snapped.distanceM < 30) scenes.push(p);
}
const post = async (location: { lat: number; lon: number }) => {
  const res = await fetch(`${base}/api/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ location, nature: 'cardiac_arrest', place: 'public', address: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/incidents answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
};
for (const p of scenes.slice(0, 10)) await post(p); // warm-up: JIT, page cache, routing caches
await app.responders.settle();

const runs: { id: string; variant: 'live index' | 'brute force' }[] = [];
for (let i = 0; i < INCIDENTS; i++) {
  const variant = i % 2 === 0 ? 'live index' : 'brute force';
  switcher.current = variant === 'live index' ? app.positions.index : brute;
  const id = await post(scenes[10 + i]!);
  await app.responders.settle();
  runs.push({ id, variant });
}

// ---- the figures ---------------------------------------------------------------------------------
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const rows: string[][] = [];
const stages: [string, (id: string) => number | undefined][] = [
  ['acknowledged → first alert handed to a channel', (id) => (handOff.has(id) ? handOff.get(id)! - answered.get(id)! : undefined)],
  ['  answer → engine starts (event loop)', (id) => timings.get(id) && timings.get(id)!.startedAt - answered.get(id)!],
  ['  candidate search (index)', (id) => timings.get(id)?.searchMs],
  ['  eligibility (volunteer snapshots)', (id) => timings.get(id)?.eligibilityMs],
  ['  walking ETAs (one many-to-one search)', (id) => timings.get(id)?.walkMs],
  ['  first unit ETA (unit recommendation)', (id) => timings.get(id)?.firstUnitMs],
  ['  decide + append (fsync)', (id) => timings.get(id)?.decideAppendMs],
  ['  appended → handed to channel (queue, check)', (id) => (handOff.has(id) && timings.get(id) ? handOff.get(id)! - timings.get(id)!.appendedAt : undefined)],
];
const of = (variant: string) => runs.filter((r) => r.variant === variant).map((r) => r.id);
for (const [label, f] of stages) {
  const cells = ['live index', 'brute force'].flatMap((v) => {
    const xs = of(v).map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
    return [fmtMs(pct(xs, 50)), fmtMs(pct(xs, 99))];
  });
  rows.push([label, ...cells]);
}
console.log(`\nlatency, ms (${INCIDENTS / 2} incidents per column, one at a time)\n`);
console.log(table(['stage', 'live p50', 'live p99', 'brute p50', 'brute p99'], rows));
const looked = runs.map((r) => timings.get(r.id)?.lookedAt ?? 0);
const alerted = runs.map((r) => timings.get(r.id)?.alerted ?? 0);
const nobody = runs.filter((r) => (timings.get(r.id)?.alerted ?? 0) === 0).length;
const missing = runs.filter((r) => (timings.get(r.id)?.alerted ?? 0) > 0 && !handOff.has(r.id)).length;
console.log(
  `\nper incident: ${pct(looked, 50)} on-duty volunteers within walking reach (p50), ${pct(alerted, 50)} alerted in wave 1 (p50); ` +
    `${nobody} incident(s) with nobody eligible in reach (left out of the figures); ${missing} with alerts of which none left the queue; ` +
    `the gateway took ${gatewayHits.length} messages`,
);

await server.close();
await app.close();
gateway.close();
rmSync(dataDir, { recursive: true, force: true });
if (missing > 0) process.exitCode = 1;
