// Benchmark: the two-node kill test, twenty times. Two `samaritan serve` processes on one
// PostgreSQL, a live-stream client on each, incidents, dispatches and accepted alerts on both; one
// node is killed with SIGKILL while creates keep coming to it, its client resumes on the other, and
// the work goes on there (test/support/two-nodes.ts, which the test suite runs three times). The
// 1st, 3rd, 5th… rounds kill the leader, the others the other node.
//
//   npx tsx bench/two-nodes-kill.ts          (or: npm run bench -- two-nodes-kill)
//
// Each round prints what it saw; the summary gives the takeover figure (from the SIGKILL to the
// first volunteer alert of an incident created on the survivor) over the rounds, beside the same
// figure in the rounds that killed the other node (no takeover: the baseline). The benchmark exits
// 1 when any round found something lost, repeated, fired twice or not at all, and prints it.
//
// Knobs: BENCH_KILL_ROUNDS (20). About 30–40 s a round on two cores.
import { tmpdir } from 'node:os';
import { killRound, type RoundFigures } from '../test/support/two-nodes.ts';
import { median } from './support/load.ts';
import { postgresFacts, startTestPostgres } from './support/postgres-nodes.ts';
import { fmtMs, machineFacts, table } from './support/report.ts';
import { envInt } from './support/stats.ts';

const ROUNDS = envInt('BENCH_KILL_ROUNDS', 20);

const started = Date.now();
console.log(`# two-nodes-kill: ${ROUNDS} rounds of two nodes on one PostgreSQL, one killed with SIGKILL while taking writes\n`);
for (const line of machineFacts(tmpdir()).filter((l) => !l.startsWith('load:'))) console.log(line);
console.log('load:        both nodes, PostgreSQL and the clients share the CPUs; the policy is sped up (waves every 2 s, alerts expire after 4 s)');
const pg = await startTestPostgres();
const results: { round: number; seconds: number; figures?: RoundFigures; problems: string[] }[] = [];
try {
  const facts = await postgresFacts(await pg.createDatabase('bench_kill_facts'));
  console.log(`${facts}\n`);
  const header = ['round', 's', 'killed', 'leader?', 'events', 'incidents', 'dispatched', 'accepted', 'expired', 'later waves', 'answered while killed', 'cut', 'kill → alert ms', 'problems'];
  const rowOf = (r: (typeof results)[number]): string[] => {
    const f = r.figures;
    return [
      String(r.round + 1),
      r.seconds.toFixed(0),
      f?.killed ?? '-',
      f === undefined ? '-' : f.killedLeader ? 'leader' : 'other',
      String(f?.events ?? '-'),
      String(f?.incidents ?? '-'),
      String(f?.dispatches ?? '-'),
      String(f?.accepted ?? '-'),
      String(f?.expired ?? '-'),
      String(f?.laterWaves ?? '-'),
      String(f?.answeredDuringKill ?? '-'),
      String(f?.cutByKill ?? '-'),
      f === undefined ? '-' : fmtMs(f.alertAfterKillMs),
      String(r.problems.length),
    ];
  };
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    let r: (typeof results)[number];
    try {
      const { figures, problems } = await killRound(pg, round);
      r = { round, seconds: (performance.now() - t0) / 1000, figures, problems };
    } catch (e) {
      r = { round, seconds: (performance.now() - t0) / 1000, problems: [`the round did not finish: ${e instanceof Error ? e.message : String(e)}`] };
    }
    results.push(r);
    // One line per round as it ends (the table is printed whole at the end).
    console.log(`round ${round + 1}/${ROUNDS}: ${header.slice(1).map((h, i) => `${h} ${rowOf(r)[i + 1]}`).join(', ')}`);
    for (const p of r.problems) console.log(`  PROBLEM: ${p}`);
  }

  console.log(`\n## ${ROUNDS} rounds\n`);
  console.log(table(header, results.map(rowOf)));
  const takeover = (leader: boolean) =>
    results.flatMap((r) => (r.figures !== undefined && r.figures.killedLeader === leader ? [r.figures.alertAfterKillMs] : []));
  const line = (label: string, xs: number[]) =>
    [label, String(xs.length), fmtMs(median(xs)), fmtMs(xs.length === 0 ? Number.NaN : Math.min(...xs)), fmtMs(xs.length === 0 ? Number.NaN : Math.max(...xs))];
  console.log('\n## From the SIGKILL to the first alert of an incident created on the survivor, ms\n');
  console.log(
    table(
      ['rounds', 'n', 'median', 'min', 'max'],
      [line('the leader killed (takeover)', takeover(true)), line('the other node killed (baseline: no takeover)', takeover(false))],
    ),
  );
  const sum = (f: (x: RoundFigures) => number) => results.reduce((n, r) => n + (r.figures === undefined ? 0 : f(r.figures)), 0);
  const failed = results.filter((r) => r.problems.length > 0);
  console.log(
    `\ntotals: ${sum((f) => f.incidents)} incidents, ${sum((f) => f.dispatches)} dispatches, ${sum((f) => f.accepted)} acceptances, ` +
      `${sum((f) => f.expired)} expiries and ${sum((f) => f.laterWaves)} later waves fired; ${sum((f) => f.answeredDuringKill)} creates answered by a node while it was killed, ${sum((f) => f.cutByKill)} cut off` +
      `\n${failed.length === 0 ? 'every round held: nothing lost or repeated, every timer fired once, the demo city seeded once' : `${failed.length} of ${ROUNDS} rounds found problems:`}`,
  );
  for (const r of failed) for (const p of r.problems) console.log(`  round ${r.round + 1}: ${p}`);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failed.length > 0) process.exitCode = 1;
} finally {
  await pg.stop();
}
