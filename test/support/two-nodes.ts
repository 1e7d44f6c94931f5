import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webPush from 'web-push';
import { PROJECT_ROOT } from '../../src/config/configuration.ts';
import { VOLUNTEER_POLICY_FILE } from '../../src/config/volunteer-policy-config.ts';
import { createToken, spawnServer, type ChildServer } from './child-server.ts';
import type { TestPostgres } from './postgres.ts';
import { eventually, offset } from './responders.ts';
import { Reader, type Msg } from './stream-reader.ts';

/**
 * Two `samaritan serve` processes on one PostgreSQL, with a live-stream client on each, doing
 * the work of a shift on both; then one is killed with SIGKILL, its client reconnects to the other
 * and resumes from its last seq, and the work goes on there. What a round saw is returned for the
 * test (and the benchmark, which runs it 20 times) to judge: nothing lost, nothing twice, every
 * timer fired once.
 */

/** Places across San Francisco, each a few km from the others, each with a volunteer 40 m away. */
const SITES = [
  { lat: 37.7793, lon: -122.4193 }, // Civic Center
  { lat: 37.7946, lon: -122.3999 }, // Financial District
  { lat: 37.7599, lon: -122.4148 }, // Mission
  { lat: 37.7699, lon: -122.4469 }, // Haight
  { lat: 37.7850, lon: -122.4094 }, // Union Square
  { lat: 37.7510, lon: -122.4330 }, // Noe Valley
];
const BEFORE_KILL = 4;
/** How long a step of a round may take, on a machine the two nodes, PostgreSQL and the clients share. */
const WAIT_MS = 20_000;

export interface RoundFigures {
  /** Events in the log at the end. */
  readonly events: number;
  readonly incidents: number;
  readonly dispatches: number;
  readonly accepted: number;
  /** Alerts that expired (each one a timer firing). */
  readonly expired: number;
  /** Waves sent after the first (each one a timer firing). */
  readonly laterWaves: number;
  /** Which node was killed, and whether it was the leader then. */
  readonly killed: 'A' | 'B';
  readonly killedLeader: boolean;
  /** ms from the SIGKILL to the first alert of an incident created on the survivor. */
  readonly alertAfterKillMs: number;
  /** The last seq the killed node's client had received when the node was killed. */
  readonly resumedFrom: number;
  /** Creates the killed node answered 201 while being killed (each must be in the log), and requests cut off unanswered. */
  readonly answeredDuringKill: number;
  readonly cutByKill: number;
}

export interface RoundResult {
  /** Every broken rule, in words; empty when the round held. */
  readonly problems: string[];
  readonly figures: RoundFigures;
}

interface Volunteer {
  readonly id: string;
  readonly token: string;
  readonly site: number;
  home: ChildServer;
}

/** The policy the product ships, with waves and expiries short enough to fire during a round. */
function fastPolicyFile(dir: string): string {
  const policy = JSON.parse(readFileSync(`${PROJECT_ROOT}${VOLUNTEER_POLICY_FILE}`, 'utf8')) as { waves: Record<string, number> };
  policy.waves['waveIntervalS'] = 2;
  policy.waves['alertExpiryS'] = 4;
  const file = join(dir, 'volunteer-policy.json');
  writeFileSync(file, JSON.stringify(policy));
  return file;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
async function json(node: ChildServer, method: string, path: string, body: unknown, token: string, expected: number[]): Promise<any> {
  const res = await node.request(method, path, body, token === '' ? {} : { authorization: `Bearer ${token}` });
  if (!expected.includes(res.status)) throw new Error(`${method} ${path} on :${node.port}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every event the token may read, from GET /api/events, in order. */
async function allEvents(node: ChildServer, token: string): Promise<Msg[]> {
  const out: Msg[] = [];
  for (let after = 0; ; ) {
    const page = (await json(node, 'GET', `/api/events?after=${after}&limit=1000`, undefined, token, [200])) as { events: Msg[]; next: number; head: number };
    out.push(...page.events);
    if (page.events.length === 0 || page.next >= page.head) return out;
    after = page.next;
  }
}

async function leaderOf(node: ChildServer): Promise<boolean> {
  const health = (await node.request('GET', '/healthz')).body as { leader?: unknown } | undefined;
  if (typeof health?.leader !== 'boolean') throw new Error(`GET /healthz on :${node.port} says nothing of the lead`);
  return health.leader;
}

export async function killRound(pg: TestPostgres, round: number): Promise<RoundResult> {
  const root = mkdtempSync(join(tmpdir(), 'samaritan-two-nodes-'));
  const url = await pg.createDatabase(`round${round}`);
  const vapid = webPush.generateVAPIDKeys();
  const env = {
    DATABASE_URL: url,
    SAMARITAN_VOLUNTEER_POLICY_FILE: fastPolicyFile(root),
    SAMARITAN_VAPID_PUBLIC_KEY: vapid.publicKey,
    SAMARITAN_VAPID_PRIVATE_KEY: vapid.privateKey,
  };
  const nodes: ChildServer[] = [];
  const readers: Reader[] = [];
  const problems: string[] = [];
  try {
    // Both at once on the empty database: one of them seeds it.
    const [a, b] = await Promise.all(['a', 'b'].map((n) => spawnServer(join(root, n), { env, timeoutMs: 120_000 })));
    nodes.push(a!, b!);
    const [A, B] = [a!, b!];
    const token = await createToken(join(root, 'a'), 'supervisor', env);
    const auth = { authorization: `Bearer ${token}` };
    const stream = (node: ChildServer, after: number) => {
      const r = new Reader(`ws://127.0.0.1:${node.port}/api/stream?after=${after}`, auth);
      readers.push(r);
      return r;
    };
    const rA = stream(A, 0);
    const rB = stream(B, 0);
    await Promise.all([rA.opened, rB.opened]);

    // Volunteers sign up on both nodes and report their positions there.
    const volunteers: Volunteer[] = [];
    for (const [site, at] of SITES.entries()) {
      const home = site % 2 === 0 ? A : B;
      const signed = await json(home, 'POST', '/api/volunteers', { name: `Volunteer ${site}`, phone: `+1 415 555 01${10 + site}`, locationConsent: true }, '', [201]);
      const v: Volunteer = { id: signed.id as string, token: signed.token as string, site, home };
      await json(home, 'POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2099-01-01' }, v.token, [201]);
      await json(home, 'PATCH', '/api/volunteers/me', { available: true }, v.token, [200]);
      await json(home, 'POST', '/api/volunteers/me/position', offset(at, 40, 0), v.token, [200, 201, 202, 204]);
      volunteers.push(v);
    }

    const incidents: { id: string; site: number }[] = [];
    const dispatched: string[] = [];
    const accepted: string[] = [];
    /** An incident on `on`, its first recommended unit dispatched through `via`, and its volunteer accepting on their node. */
    const shift = async (site: number, on: ChildServer, via: ChildServer) => {
      const at = SITES[site]!;
      const created = await json(on, 'POST', '/api/incidents', { location: at, nature: 'cardiac_arrest', priority: 1, place: 'public', address: `Site ${site}` }, token, [201]);
      const id = created.id as string;
      incidents.push({ id, site });
      // The other node may not have read the incident yet: it answers 404 until it has.
      const rec = await eventually(
        async () => {
          const res = await via.request('GET', `/api/incidents/${id}/recommendation`, undefined, auth);
          return res.status === 200 ? (res.body as { candidates: { unitId: string }[] }) : undefined;
        },
        WAIT_MS,
        `incident ${id} on :${via.port}`,
      );
      for (const c of rec.candidates) {
        const res = await via.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: [c.unitId] }, auth);
        if (res.status === 200 || res.status === 201) {
          dispatched.push(id);
          break;
        }
        if (res.status !== 409) throw new Error(`dispatch ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const v = volunteers[site]!;
      const alertId = `${id}.${v.id}`;
      await eventually(
        async () => {
          const mine = (await json(v.home, 'GET', '/api/volunteers/me/alerts', undefined, v.token, [200])) as { alerts: { alertId: string }[] };
          return mine.alerts.some((x) => x.alertId === alertId) ? true : undefined;
        },
        WAIT_MS,
        `alert ${alertId} on :${v.home.port}`,
      );
      await json(v.home, 'POST', `/api/volunteers/me/alerts/${alertId}/accept`, undefined, v.token, [200]);
      accepted.push(alertId);
    };
    await Promise.all(
      Array.from({ length: BEFORE_KILL }, (_, site) => (site % 2 === 0 ? shift(site, A, B) : shift(site, B, A))),
    );

    // SIGKILL one node, no shutdown code runs: the leader in even rounds, the other node in odd ones.
    const leaders = await Promise.all([leaderOf(A), leaderOf(B)]);
    if (leaders.filter((l) => l === true).length !== 1) problems.push(`not exactly one leader before the kill: ${JSON.stringify(leaders)}`);
    const killed = (leaders[0] === true) === (round % 2 === 0) ? 'A' : 'B';
    const [victim, survivor, rVictim, rSurvivor] = killed === 'A' ? [A, B, rA, rB] : [B, A, rB, rA];
    const killedLeader = leaders[killed === 'A' ? 0 : 1];
    // Writes keep coming to the victim until it dies: whatever it answered 201 must be in the log.
    const answered: string[] = [];
    let cut = 0;
    let stop = false;
    const writing = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await victim.request('POST', '/api/incidents', { location: offset(SITES[0]!, 300 + i, 300), nature: 'alarm', priority: 3, address: `Alarm ${i}` }, auth);
          if (res.status === 201) answered.push((res.body as { id: string }).id);
          else throw new Error(`in-flight create: ${res.status} ${JSON.stringify(res.body)}`);
        } catch (e) {
          if (String(e).includes('in-flight create')) throw e;
          cut++; // the connection died with the node: no answer, no promise
          return;
        }
      }
    })();
    await eventually(() => (answered.length >= 5 ? true : undefined), WAIT_MS, 'creates answered by the victim');
    const resumedFrom = rVictim.lastSeq;
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    stop = true;
    await writing;
    await rVictim.closed;
    // Its client reconnects to the other node and resumes after the last seq it received.
    const rResumed = stream(survivor, Math.max(0, rVictim.lastSeq));
    await rResumed.opened;
    for (const v of volunteers) if (v.home === victim) v.home = survivor;
    const before = incidents.length;
    await Promise.all(Array.from({ length: SITES.length - BEFORE_KILL }, (_, i) => shift(BEFORE_KILL + i, survivor, survivor)));
    if ((await leaderOf(survivor)) !== true) problems.push('the survivor does not lead after the kill');
    const afterKill = new Set(incidents.slice(before).map((x) => x.id));
    const firstAlertAfterKill = await eventually(
      () => {
        const m = rSurvivor.msgs.find((e) => e.type === 'VolunteerAlerted' && afterKill.has(e.data['incidentId'] as string));
        return m === undefined ? undefined : Date.parse(m.at);
      },
      WAIT_MS,
      'an alert after the kill',
    );

    // Every alert ends accepted or expired: the expiry timers have fired. Watched on the survivor's
    // live client, which holds every event already; the log itself is read once, after.
    const ENDS = new Set(['VolunteerAccepted', 'VolunteerDeclined', 'VolunteerAlertExpired']);
    const openAlerts = (msgs: readonly Msg[]) => {
      const ended = new Set(msgs.filter((e) => ENDS.has(e.type)).map((e) => e.data['alertId'] as string));
      return msgs.filter((e) => e.type === 'VolunteerAlerted' && !ended.has(e.data['alertId'] as string)).length;
    };
    await eventually(() => (openAlerts(rSurvivor.msgs) === 0 ? true : undefined), 60_000, 'every alert answered or expired');
    const log = await allEvents(survivor, token);
    const head = log.at(-1)!.seq;
    await rSurvivor.until((r) => r.lastSeq >= head, `survivor client at ${head}`, 20_000);
    await rResumed.until((r) => r.lastSeq >= head, `resumed client at ${head}`, 20_000);
    const expected = log.map((e) => e.seq);

    // Nothing lost, nothing twice: each client saw exactly the log, in order.
    const resumedSeqs = [...rVictim.seqs, ...rResumed.seqs].filter((s) => s <= head);
    const same = (got: number[], what: string) => {
      const dup = got.length - new Set(got).size;
      if (dup > 0) problems.push(`${what}: ${dup} events received twice`);
      const missing = expected.filter((s) => !got.includes(s));
      if (missing.length > 0) problems.push(`${what}: ${missing.length} events missing (first ${missing[0]})`);
      if (got.some((s, i) => i > 0 && s <= got[i - 1]!)) problems.push(`${what}: out of order`);
    };
    same(rSurvivor.seqs.filter((s) => s <= head), 'the survivor’s client');
    same(resumedSeqs, 'the killed node’s client, resumed on the survivor');
    // Every answered write is in the log.
    const count = (type: string, key: string, value: string) => log.filter((e) => e.type === type && e.data[key] === value).length;
    for (const i of incidents) if (count('IncidentReceived', 'incidentId', i.id) !== 1) problems.push(`incident ${i.id}: not received exactly once`);
    for (const id of dispatched) if (count('UnitsDispatched', 'incidentId', id) !== 1) problems.push(`incident ${id}: dispatch not in the log once`);
    for (const id of accepted) if (count('VolunteerAccepted', 'alertId', id) !== 1) problems.push(`alert ${id}: acceptance not in the log once`);
    for (const id of answered) if (count('IncidentReceived', 'incidentId', id) !== 1) problems.push(`incident ${id}, answered 201 just before the kill: not in the log once`);
    // Every timer fired once: an expiry per alert at most, a wave per number at most.
    const expiries = log.filter((e) => e.type === 'VolunteerAlertExpired').map((e) => e.data['alertId'] as string);
    if (expiries.length !== new Set(expiries).size) problems.push('an alert expired twice');
    const waves = log.filter((e) => e.type === 'VolunteerWaveSent').map((e) => `${e.data['incidentId'] as string}#${e.data['wave'] as number}`);
    if (waves.length !== new Set(waves).size) problems.push('a wave was sent twice');
    // Both nodes started on the empty database; the demo city is there once.
    const stations = log.filter((e) => e.type === 'StationOpened').length;
    if (stations !== 44) problems.push(`${stations} stations opened, not 44: the demo city was seeded ${stations / 44} times`);
    const laterWaves = log.filter((e) => e.type === 'VolunteerWaveSent' && (e.data['wave'] as number) > 1).length;
    return {
      problems,
      figures: {
        events: head,
        incidents: incidents.length,
        dispatches: dispatched.length,
        accepted: accepted.length,
        expired: expiries.length,
        laterWaves,
        killed,
        killedLeader,
        alertAfterKillMs: firstAlertAfterKill - killedAt,
        resumedFrom,
        answeredDuringKill: answered.length,
        cutByKill: cut,
      },
    };
  } finally {
    for (const r of readers) r.ws.terminate();
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    rmSync(root, { recursive: true, force: true });
  }
}
