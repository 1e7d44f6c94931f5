// Benchmark: how soon an incident created on one node reaches a console on another node's live
// stream (fan-out through PostgreSQL's LISTEN/NOTIFY), against the same console on the node that
// took the request (no fan-out).
//
//   npx tsx bench/two-nodes-fanout.ts          (or: npm run bench -- two-nodes-fanout)
//
// Two `samaritan serve` nodes on one PostgreSQL (embedded, or DATABASE_URL's). Two /api/stream
// clients, one on node B and one on node A, both open through the whole run, so every incident is
// timed on both (the baseline is interleaved incident by incident). Incidents are POSTed on node A
// open loop, at a steady rate (a request goes out when due, answered or not), with the same mix of
// natures as the other create benchmarks (cardiac arrests among them: the leader's response engine
// alerts volunteers meanwhile).
//
// Latency of an incident on a client: from A's 201 answer (as this process saw it) to the client's
// IncidentReceived message for that incident, and from the request's send to that message.
//
// Knobs: BENCH_FANOUT_RATE incidents per second (20), BENCH_FANOUT_INCIDENTS (1000),
// BENCH_FANOUT_WARMUP incidents first, not measured (40), BENCH_TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildServer } from './support/children.ts';
import { LiveStream } from './support/live-stream.ts';
import { leaderName, postgresFacts, startPostgresNodes, startTestPostgres } from './support/postgres-nodes.ts';
import { fmtMs, fmtRatio, machineFacts, table } from './support/report.ts';
import { envInt, msStats, type MsStats } from './support/stats.ts';
import { incidentBodies } from './support/workload.ts';

const RATE = envInt('BENCH_FANOUT_RATE', 20);
const INCIDENTS = envInt('BENCH_FANOUT_INCIDENTS', 1000);
const WARMUP = envInt('BENCH_FANOUT_WARMUP', 40);
const TARGET_P99_MS = 100;
/** How long after the last answer an incident may still arrive before it counts as never delivered. */
const GRACE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  readonly sentAt: number;
  answeredAt: number;
  status: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'samaritan-two-nodes-fanout-'));
  console.log(`# two-nodes-fanout: POST /api/incidents on node A, IncidentReceived on node B's /api/stream vs node A's\n`);
  for (const line of machineFacts(tmp).filter((l) => !l.startsWith('load:'))) console.log(line);
  console.log('load:        the requests and both stream clients run in this process, on the same CPUs as the nodes and PostgreSQL');
  const pg = await startTestPostgres();
  const servers: ChildServer[] = [];
  const streams: LiveStream[] = [];
  try {
    const pair = await startPostgresNodes(pg, tmp, { count: 2, tokens: ['bench'], prefix: 'bench_fanout' });
    servers.push(...pair.nodes);
    const [a, b] = pair.nodes as [ChildServer, ChildServer];
    const token = pair.tokens[0]!;
    console.log(await postgresFacts(pair.env['DATABASE_URL']!));
    console.log(`nodes:       A pid ${a.pid} at ${a.base}, B pid ${b.pid} at ${b.base}; leader: ${await leaderName([a, b])}`);
    console.log(
      `plan:        ${WARMUP} incidents to warm up, then ${INCIDENTS} measured, open loop at ${RATE}/s on node A (${(INCIDENTS / RATE).toFixed(0)} s)\n`,
    );

    const arrived = { B: new Map<string, number>(), A: new Map<string, number>() };
    for (const [name, node] of [['B', b], ['A', a]] as const) {
      const s = new LiveStream(node.base, token, (m, at) => {
        if (m.type === 'IncidentReceived' && typeof m.data['incidentId'] === 'string') arrived[name].set(m.data['incidentId'], at);
      });
      streams.push(s);
      await s.opened;
    }

    const bodies = incidentBodies(WARMUP + INCIDENTS, 14);
    const sent = new Map<string, Sent>();
    const order: string[] = [];
    let failures = 0;
    let firstFailure: string | undefined;
    const post = async (body: string, measured: boolean) => {
      const rec: Sent = { sentAt: performance.now(), answeredAt: Number.NaN, status: 0 };
      try {
        const res = await fetch(`${a.base}/api/incidents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        rec.answeredAt = performance.now();
        rec.status = res.status;
        const text = await res.text();
        if (res.status !== 201) throw new Error(`answered ${res.status}: ${text.slice(0, 300)}`);
        const id = (JSON.parse(text) as { id: string }).id;
        if (measured) {
          sent.set(id, rec);
          order.push(id);
        }
      } catch (e) {
        failures++;
        firstFailure ??= `POST /api/incidents ${String(e)}`;
      }
    };
    /** Open loop: request i goes out at t0 + i / RATE, whether or not the earlier ones were answered. */
    const openLoop = async (from: number, count: number, measured: boolean) => {
      const t0 = performance.now();
      const pending: Promise<void>[] = [];
      let late = 0;
      for (let i = 0; i < count; i++) {
        const due = t0 + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        else if (wait < -5) late++;
        pending.push(post(bodies[from + i]!, measured));
      }
      await Promise.all(pending);
      return { seconds: (performance.now() - t0) / 1000, late };
    };
    await openLoop(0, WARMUP, false);
    const ran = await openLoop(WARMUP, INCIDENTS, true);
    const deadline = performance.now() + GRACE_MS;
    const complete = () => order.every((id) => arrived.A.has(id) && arrived.B.has(id));
    while (!complete() && performance.now() < deadline) await sleep(20);

    // ---- the figures -----------------------------------------------------------------------------
    const answer = msStats(order.map((id) => sent.get(id)!.answeredAt - sent.get(id)!.sentAt));
    const of = (client: 'A' | 'B', from: 'answeredAt' | 'sentAt'): MsStats =>
      msStats(order.filter((id) => arrived[client].has(id)).map((id) => arrived[client].get(id)! - sent.get(id)![from]));
    const f = {
      bAnswer: of('B', 'answeredAt'),
      bSend: of('B', 'sentAt'),
      aAnswer: of('A', 'answeredAt'),
      aSend: of('A', 'sentAt'),
    };
    const missing = { A: order.filter((id) => !arrived.A.has(id)).length, B: order.filter((id) => !arrived.B.has(id)).length };
    const before201 = order.filter((id) => arrived.B.has(id) && arrived.B.get(id)! < sent.get(id)!.answeredAt).length;
    console.log(
      `sent:        ${order.length} incidents answered 201 in ${ran.seconds.toFixed(1)} s (${(order.length / ran.seconds).toFixed(1)}/s; ${ran.late} sent more than 5 ms late by this process)` +
        `; POST answer p50 ${fmtMs(answer.p50)} ms, p99 ${fmtMs(answer.p99)} ms, max ${fmtMs(answer.max)} ms\n`,
    );
    console.log('## IncidentReceived on a live stream, ms (every incident timed on both clients)\n');
    const row = (label: string, s: MsStats, n: number) => [label, String(n), fmtMs(s.p50), fmtMs(s.p90), fmtMs(s.p99), fmtMs(s.max)];
    console.log(
      table(
        ['client, latency from', 'n', 'p50', 'p90', 'p99', 'max'],
        [
          row("node B (fan-out), from A's 201", f.bAnswer, f.bAnswer.n),
          row('node B (fan-out), from the send', f.bSend, f.bSend.n),
          row("node A (baseline), from A's 201", f.aAnswer, f.aAnswer.n),
          row('node A (baseline), from the send', f.aSend, f.aSend.n),
        ],
      ),
    );
    console.log(
      `\nfan-out / baseline, from the send: p50 ${fmtRatio(f.bSend.p50, f.aSend.p50)}, p99 ${fmtRatio(f.bSend.p99, f.aSend.p99)}` +
        `; what fan-out adds, from the send: p50 +${fmtMs(f.bSend.p50 - f.aSend.p50)} ms, p99 +${fmtMs(f.bSend.p99 - f.aSend.p99)} ms` +
        `\n${before201} of ${f.bAnswer.n} incidents reached node B's client before A's 201 reached this process (negative latencies from the 201)`,
    );
    console.log(
      `\ntarget (printed, not enforced): a /api/stream client on node B sees node A's change within ${TARGET_P99_MS} ms p99` +
        `\n  from A's 201: p99 ${fmtMs(f.bAnswer.p99)} ms: ${f.bAnswer.p99 <= TARGET_P99_MS ? 'met' : 'not met'}` +
        `; from the send: p99 ${fmtMs(f.bSend.p99)} ms: ${f.bSend.p99 <= TARGET_P99_MS ? 'met' : 'not met'}`,
    );
    console.log(
      `\ndelivery check: ${missing.B} incidents never reached node B's client, ${missing.A} never reached node A's (within ${GRACE_MS / 1000} s)` +
        `; ${failures} requests not answered 201${firstFailure ? ` (first: ${firstFailure})` : ''}` +
        `\nleader at the end: ${await leaderName([a, b])}; took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const closed = streams.filter((s) => s.closedEarly !== undefined);
    if (closed.length > 0) console.log(`a stream closed during the run: ${JSON.stringify(closed[0]!.closedEarly)}`);
    if (failures > 0 || missing.A + missing.B > 0 || closed.length > 0) {
      console.log('\nA create was refused or never reached a client: the figures above leave out the slowest, and cannot be trusted.');
      process.exitCode = 1;
    }
  } finally {
    for (const s of streams) s.close();
    for (const s of servers) await s.stop();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
