// A load generator in its own process (started by support/load-streams.ts; see there for the IPC
// protocol). It sends one kind of request to the server over `connections` keep-alive connections,
// either open loop at a fixed rate (requests go out on schedule whether or not earlier ones were
// answered, and latency counts from the scheduled time, so a stalled server is not hidden by a
// stalled client) or closed loop (each connection sends its next request as soon as the previous
// one is answered). It keeps every answer's status, latency and, for position batches, the
// accepted/recorded/rejected counts of the answer body, and reports them when told to stop.
import { Agent, request } from 'node:http';
import type { FromChild, StreamConfig, StreamResult, ToChild } from './load-streams.ts';
import { msStats } from './stats.ts';
import { prng } from './workload.ts';

/** San Francisco, where the fixes and the incidents of the load are. */
const BOX = { south: 37.7, north: 37.8, west: -122.5, east: -122.4 };
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const TIMEOUT_MS = 30_000;

interface Rec {
  /** When the request was due (open loop) or sent (closed loop), performance.now() ms. */
  readonly t0: number;
  readonly ms: number;
  /** 0: no answer (socket error or timeout). */
  readonly status: number;
  readonly fixes: number;
  readonly accepted: number;
  readonly recorded: number;
  readonly rejected: number;
}

const reply = (m: FromChild, then?: () => void) => {
  if (process.send && process.connected) process.send(m, undefined, undefined, () => then?.());
  else then?.();
};
// The benchmark is gone: nothing to report to.
process.on('disconnect', () => process.exit(0));

/** The request bodies, built once, cycled (the client must cost the CPUs it shares with the server little). */
function bodiesOf(c: StreamConfig): { readonly path: string; readonly fixes: number; readonly next: () => Buffer } {
  const rnd = prng(c.seed);
  const inBox = () => ({
    lat: round6(BOX.south + rnd() * (BOX.north - BOX.south)),
    lon: round6(BOX.west + rnd() * (BOX.east - BOX.west)),
  });
  const pool: Buffer[] = [];
  if (c.kind === 'incidents') {
    for (let i = 0; i < 512; i++) {
      pool.push(
        Buffer.from(
          JSON.stringify({
            location: inBox(),
            nature: 'structure_fire',
            priority: 2,
            address: `${1 + Math.floor(rnd() * 3000)} Mission St`,
          }),
        ),
      );
    }
  } else {
    const units = c.unitIds ?? [];
    const batch = c.batch ?? 1000;
    if (units.length === 0) throw new Error('a positions stream needs unit ids');
    // A unit's home is the same in every stream (seeded by nothing but the unit's place in the list).
    const homeRnd = prng(1);
    const homes = units.map(() => ({
      lat: BOX.south + homeRnd() * (BOX.north - BOX.south),
      lon: BOX.west + homeRnd() * (BOX.east - BOX.west),
    }));
    const step = (2 * Math.PI) / 97;
    for (let k = 0; k < 16; k++) {
      const fixes = new Array<{ unitId: string; lat: number; lon: number }>(batch);
      for (let j = 0; j < batch; j++) {
        const g = k * batch + j;
        const u = g % units.length;
        if (c.motion === 'drive') {
          // on a 100 m circle round the unit's home: never 250 m from its last logged fix
          const a = Math.floor(g / units.length) * step;
          const h = homes[u]!;
          fixes[j] = {
            unitId: units[u]!,
            lat: round6(h.lat + (100 / 111_320) * Math.sin(a)),
            lon: round6(h.lon + (100 / (111_320 * Math.cos((h.lat * Math.PI) / 180))) * Math.cos(a)),
          };
        } else {
          fixes[j] = { unitId: units[u]!, ...inBox() };
        }
      }
      pool.push(Buffer.from(JSON.stringify({ fixes })));
    }
  }
  let i = 0;
  return {
    path: c.kind === 'incidents' ? '/api/incidents' : '/api/positions',
    fixes: c.kind === 'positions' ? (c.batch ?? 1000) : 0,
    next: () => pool[i++ % pool.length]!,
  };
}

/** At most `limit` requests in any 60 s for one credential. */
class Budget {
  private readonly sent: number[] = [];
  constructor(private readonly limit: number) {}
  /** ms until one more may go (0: now). */
  waitMs(now: number): number {
    if (this.limit <= 0) return 0;
    while (this.sent.length > 0 && this.sent[0]! <= now - 60_000) this.sent.shift();
    return this.sent.length < this.limit ? 0 : this.sent[0]! + 60_000 - now + 1;
  }
  take(now: number): void {
    if (this.limit > 0) this.sent.push(now);
  }
}

function run(c: StreamConfig): { start: () => void; mark: () => void; stop: () => void } {
  const url = new URL(c.base);
  const agent = new Agent({ keepAlive: true, maxSockets: c.connections });
  const body = bodiesOf(c);
  const budgets = c.tokens.map(() => new Budget(c.perTokenPerMinute));
  const recs: Rec[] = [];
  let inFlight = 0;
  let stopped = false;
  let startAt = Number.NaN;
  let markAt = Number.NaN;
  let stopAt = Number.NaN;
  let inFlightAtStop = 0;
  let firstProblem: string | undefined;
  let budgetHeld = 0;
  let budgetHeldMs = 0;
  let maxLagMs = 0;
  let safety: NodeJS.Timeout | undefined;

  const fire = (t0: number, token: string): Promise<void> => {
    inFlight++;
    const payload = body.next();
    return new Promise<void>((resolve) => {
      let finished = false;
      const done = (status: number, text: string) => {
        if (finished) return;
        finished = true;
        inFlight--;
        const ms = performance.now() - t0;
        let accepted = 0;
        let recorded = 0;
        let rejected = 0;
        if (status >= 200 && status <= 299 && c.kind === 'positions') {
          try {
            const b = JSON.parse(text) as { accepted?: unknown; recorded?: unknown; rejected?: unknown };
            rejected = Array.isArray(b.rejected) ? b.rejected.length : typeof b.rejected === 'number' ? b.rejected : 0;
            accepted = typeof b.accepted === 'number' ? b.accepted : body.fixes - rejected;
            recorded = typeof b.recorded === 'number' ? b.recorded : Number.NaN;
          } catch {
            rejected = body.fixes;
            firstProblem ??= `${status} with a body that is not JSON: ${text.slice(0, 200)}`;
          }
          if (rejected > 0) firstProblem ??= `${status} rejecting ${rejected} fixes: ${text.slice(0, 300)}`;
        } else if (status < 200 || status > 299) {
          firstProblem ??= status === 0 ? `no answer: ${text}` : `${status}: ${text.slice(0, 300)}`;
        }
        recs.push({ t0, ms, status, fixes: body.fixes, accepted, recorded, rejected });
        resolve();
      };
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: body.path,
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': payload.length },
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          res.on('error', (e) => done(0, e.message));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (e) => done(0, e.message));
      req.end(payload);
    });
  };

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // Closed loop: each connection sends its next request when the previous one is answered.
  const closedLoop = async (i: number) => {
    const b = budgets[i % budgets.length]!;
    const token = c.tokens[i % c.tokens.length]!;
    let heldSince: number | undefined;
    while (!stopped) {
      const now = performance.now();
      const wait = b.waitMs(now);
      if (wait > 0) {
        if (heldSince === undefined) {
          budgetHeld++;
          heldSince = now;
        }
        await sleep(Math.min(wait, 100));
        continue;
      }
      if (heldSince !== undefined) budgetHeldMs += now - heldSince;
      heldSince = undefined;
      b.take(now);
      await fire(now, token);
    }
    if (heldSince !== undefined) budgetHeldMs += performance.now() - heldSince;
  };

  // Open loop: a request is due every 1000 / rate ms; tokens in turn.
  const held: number[] = [];
  let nextToken = 0;
  const issue = (due: number, now: number): boolean => {
    for (let k = 0; k < c.tokens.length; k++) {
      const t = (nextToken + k) % c.tokens.length;
      if (budgets[t]!.waitMs(now) === 0) {
        nextToken = t + 1;
        budgets[t]!.take(now);
        maxLagMs = Math.max(maxLagMs, now - due);
        void fire(due, c.tokens[t]!);
        return true;
      }
    }
    return false;
  };
  const openLoop = (rate: number) => {
    const interval = 1000 / rate;
    let due = performance.now();
    const tick = () => {
      if (stopped) return;
      const now = performance.now();
      while (held.length > 0 && issue(held[0]!, now)) {
        budgetHeldMs += now - held.shift()!;
      }
      while (due <= now) {
        if (held.length > 0 || !issue(due, now)) {
          held.push(due);
          budgetHeld++;
        }
        due += interval;
      }
      setTimeout(tick, Math.max(0, Math.min(due - performance.now(), held.length > 0 ? 50 : Infinity)));
    };
    tick();
  };

  const finish = async () => {
    while (inFlight > 0) await sleep(20);
    const win = recs.filter((r) => r.t0 >= markAt && r.t0 < stopAt);
    const ok = (r: Rec) => r.status >= 200 && r.status <= 299;
    const statusCodes: Record<string, number> = {};
    for (const r of win) statusCodes[String(r.status)] = (statusCodes[String(r.status)] ?? 0) + 1;
    const sum = (xs: readonly Rec[], f: (r: Rec) => number) => xs.reduce((n, r) => n + f(r), 0);
    // Carried: 2xx answers that arrived in the window (a request due in the window but answered
    // during the drain after stop was not carried in the window).
    const winOk = recs.filter((r) => ok(r) && r.t0 + r.ms >= markAt && r.t0 + r.ms < stopAt);
    const result: StreamResult = {
      name: c.name,
      kind: c.kind,
      windowS: (stopAt - markAt) / 1000,
      sent: win.length,
      ok: winOk.length,
      non2xx: win.filter((r) => r.status !== 0 && !ok(r)).length,
      errors: win.filter((r) => r.status === 0).length,
      statusCodes,
      fixesSent: sum(win, (r) => r.fixes),
      inFlightAtStop,
      fixesAccepted: sum(winOk, (r) => r.accepted),
      fixesRecorded: sum(winOk, (r) => r.recorded),
      fixesRejected: sum(winOk, (r) => r.rejected),
      latency: msStats(win.filter((r) => r.status !== 0).map((r) => r.ms)),
      all: {
        sent: recs.length,
        ok: recs.filter(ok).length,
        non2xx: recs.filter((r) => r.status !== 0 && !ok(r)).length,
        errors: recs.filter((r) => r.status === 0).length,
        fixesRejected: sum(recs.filter(ok), (r) => r.rejected),
        maxMs: recs.reduce((m, r) => Math.max(m, r.ms), 0),
      },
      budgetHeld,
      budgetHeldMs,
      maxLagMs,
      ...(firstProblem === undefined ? {} : { firstProblem }),
    };
    agent.destroy();
    reply({ type: 'result', result }, () => process.exit(0));
  };

  return {
    start: () => {
      startAt = performance.now();
      markAt = startAt;
      safety = setTimeout(() => stop(), c.maxS * 1000);
      if (c.ratePerS === undefined) for (let i = 0; i < c.connections; i++) void closedLoop(i);
      else openLoop(c.ratePerS);
    },
    mark: () => {
      markAt = performance.now();
    },
    stop: () => stop(),
  };

  function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(safety);
    stopAt = performance.now();
    inFlightAtStop = inFlight;
    if (Number.isNaN(markAt)) markAt = stopAt;
    void finish();
  }
}

let runner: ReturnType<typeof run> | undefined;
process.on('message', (raw) => {
  const m = raw as ToChild;
  try {
    switch (m.type) {
      case 'config':
        runner = run(m.config);
        reply({ type: 'ready' });
        break;
      case 'start':
        runner?.start();
        break;
      case 'mark':
        runner?.mark();
        break;
      case 'stop':
        runner?.stop();
        break;
    }
  } catch (e) {
    reply({ type: 'failed', message: e instanceof Error ? e.message : String(e) }, () => process.exit(1));
  }
});
