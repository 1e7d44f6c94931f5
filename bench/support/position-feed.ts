// A closed-loop feed of unit position batches (POST /api/positions) whose last fix is a marker,
// and a watcher that polls another (or the same) node until it shows that marker: how many fixes a
// node takes per second, and how soon a reader of some node holds the last fix of each batch.
import { prng } from './workload.ts';

const BOX = { south: 37.7, north: 37.8, west: -122.5, east: -122.4 };
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** The log's sampling of a unit's fixes (src/geo/live-positions.ts): at most one sample in this many ms, when it moved this far. */
const SAMPLE_MIN_INTERVAL_MS = 5_000;
/** Each marker moves between two spots this far apart (degrees of latitude, ~670 m), both this far from its first position. */
const SPOT_STEP_DEG = 0.006;
/** The positions route's limit is 600 a minute per credential; stay under it with room. */
const PER_TOKEN_PER_MINUTE = 588;
/** A batch the watched node never shows within this long after its answer counts as missing. */
export const SHOW_TIMEOUT_MS = 5_000;

export type Motion = 'spread' | 'drive';

/** JSON of the fixes of a batch, without the brackets or the marker; built once, cycled. */
export function fixBodies(units: readonly string[], batch: number, motion: Motion, seed: number): string[] {
  const rnd = prng(seed);
  const homeRnd = prng(1);
  const homes = units.map(() => ({ lat: BOX.south + homeRnd() * (BOX.north - BOX.south), lon: BOX.west + homeRnd() * (BOX.east - BOX.west) }));
  const step = (2 * Math.PI) / 97;
  const out: string[] = [];
  for (let k = 0; k < 16; k++) {
    const fixes: string[] = [];
    for (let j = 0; j < batch - 1; j++) {
      const g = k * batch + j;
      const u = g % units.length;
      let at: { lat: number; lon: number };
      if (motion === 'drive') {
        // on a 100 m circle round the unit's home: never 250 m from its last logged fix
        const h = homes[u]!;
        const a = Math.floor(g / units.length) * step;
        at = { lat: round6(h.lat + (100 / 111_320) * Math.sin(a)), lon: round6(h.lon + (100 / (111_320 * Math.cos((h.lat * Math.PI) / 180))) * Math.cos(a)) };
      } else {
        at = { lat: round6(BOX.south + rnd() * (BOX.north - BOX.south)), lon: round6(BOX.west + rnd() * (BOX.east - BOX.west)) };
      }
      fixes.push(JSON.stringify({ unitId: units[u]!, ...at }));
    }
    out.push(fixes.join(','));
  }
  return out;
}

export interface FeedRound {
  /** From the round's start to its last answer, s. */
  readonly seconds: number;
  readonly requests: number;
  readonly accepted: number;
  readonly recorded: number;
  readonly rejected: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly latencies: readonly number[];
  /** ms from a timed batch's answer to the first poll of the watched node that showed its last fix. */
  readonly shown: readonly number[];
  /** Of those, how many the node showed as its live position (`livePosition`), not only as the logged `position`. */
  readonly shownLive: number;
  readonly missing: number;
  readonly budgetWaits: number;
  readonly firstProblem: string | undefined;
}

/** Sends a request to `base`; never throws (a failure is status 0). */
async function send(base: string, method: string, path: string, token: string, body?: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { status: 0, text: String(e) };
  }
}

/** A unit's times as a reader of `base` shows them: its logged position's and its live position's (epoch ms, NaN when none). */
async function shownAt(base: string, unit: string, token: string): Promise<{ logged: number; live: number }> {
  const r = await send(base, 'GET', `/api/units/${unit}`, token);
  if (r.status !== 200) throw new Error(`GET /api/units/${unit} answered ${r.status}: ${r.text.slice(0, 200)}`);
  const u = JSON.parse(r.text) as { position?: { at?: string }; livePosition?: { at?: string } };
  return { logged: Date.parse(u.position?.at ?? ''), live: Date.parse(u.livePosition?.at ?? '') };
}

interface Marker {
  readonly id: string;
  readonly spots: readonly { readonly lat: number; readonly lon: number }[];
  /** The spot of its last fix written to the log (-1: none yet from this feed). */
  spot: number;
  loggedAt: number;
  stamp: number;
}

/**
 * A connection's marker units, each given as the last fix of a batch in turn. The log keeps a
 * unit's fix only every {@link SAMPLE_MIN_INTERVAL_MS} and only when it moved, so only some
 * batches' last fix can reach another node's read routes: a marker due for a sample moves to its
 * other spot (that batch is timed); one that is not stays on its spot (no route could show it).
 */
export class MarkerPool {
  private readonly markers: Marker[];

  /** `units` with their logged position if they have one (each spot is then 670 m or more from it). */
  constructor(units: readonly { readonly id: string; readonly lat: number; readonly lon: number }[]) {
    this.markers = units.map((u) => ({
      id: u.id,
      spots: [1, 2].map((k) => ({ lat: round6(u.lat + k * SPOT_STEP_DEG), lon: u.lon })),
      spot: -1,
      loggedAt: Number.NEGATIVE_INFINITY,
      stamp: 0,
    }));
  }

  /** The next marker fix (stamped `now` or just after its last), and whether the log will keep it. */
  next(now: number): { readonly id: string; readonly json: string; readonly stamp: number; readonly timed: boolean } {
    const m = this.markers.reduce((x, y) => (y.loggedAt < x.loggedAt ? y : x));
    m.stamp = Math.max(m.stamp + 1, now);
    const timed = m.stamp - m.loggedAt >= SAMPLE_MIN_INTERVAL_MS;
    if (timed) {
      m.spot = m.spot === 0 ? 1 : 0;
      m.loggedAt = m.stamp;
    }
    const at = m.spots[Math.max(0, m.spot)]!;
    return { id: m.id, json: JSON.stringify({ unitId: m.id, ...at, at: new Date(m.stamp).toISOString() }), stamp: m.stamp, timed };
  }
}

/**
 * One connection's feed for one round: batches into `feedBase` back to back for `seconds`, each
 * ending with a marker's fix; meanwhile `watchBase` is polled (GET /api/units/:id) for the markers
 * whose fix the log will keep, until it shows each one's stamp (or a later one).
 */
export async function feedRound(o: {
  readonly feedBase: string;
  readonly watchBase: string;
  readonly tokens: readonly string[];
  readonly budgets: Map<string, number[]>;
  readonly watchToken: string;
  readonly markers: MarkerPool;
  readonly bodies: readonly string[];
  readonly seconds: number;
}): Promise<FeedRound> {
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  const pending: { unit: string; stamp: number; answeredAt: number }[] = [];
  const latencies: number[] = [];
  const shown: number[] = [];
  let shownLive = 0;
  let missing = 0;
  let requests = 0;
  let accepted = 0;
  let recorded = 0;
  let rejected = 0;
  let non2xx = 0;
  let errors = 0;
  let budgetWaits = 0;
  let firstProblem: string | undefined;
  let feeding = true;
  let lastAnswer = t0;

  const watch = async () => {
    while (feeding || pending.length > 0) {
      const p = pending[0];
      if (p === undefined) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      let seen: { logged: number; live: number };
      try {
        seen = await shownAt(o.watchBase, p.unit, o.watchToken);
      } catch (e) {
        errors++;
        firstProblem ??= String(e);
        await new Promise((r) => setTimeout(r, 50));
        seen = { logged: Number.NaN, live: Number.NaN };
      }
      const now = performance.now();
      const live = seen.live >= p.stamp;
      if (live || seen.logged >= p.stamp) {
        shown.push(now - p.answeredAt);
        if (live) shownLive++;
        pending.shift();
        continue;
      }
      if (now - p.answeredAt > SHOW_TIMEOUT_MS) {
        missing++;
        firstProblem ??= `unit ${p.unit}'s fix stamped ${new Date(p.stamp).toISOString()} not shown within ${SHOW_TIMEOUT_MS} ms`;
        pending.shift();
        continue;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const watching = watch();

  for (let i = 0; performance.now() < end; i++) {
    // A token under its minute's limit; when all are at it, wait (counted: the figure is then capped by the limit).
    let token: string | undefined;
    for (;;) {
      const now = Date.now();
      token = o.tokens.find((t) => (o.budgets.get(t) ?? []).filter((x) => x > now - 60_000).length < PER_TOKEN_PER_MINUTE);
      if (token !== undefined) break;
      budgetWaits++;
      await new Promise((r) => setTimeout(r, 50));
    }
    const sentTimes = (o.budgets.get(token) ?? []).filter((x) => x > Date.now() - 60_000);
    sentTimes.push(Date.now());
    o.budgets.set(token, sentTimes);
    const marker = o.markers.next(Date.now());
    const body = `{"fixes":[${o.bodies[i % o.bodies.length]!},${marker.json}]}`;
    const sentAt = performance.now();
    const r = await send(o.feedBase, 'POST', '/api/positions', token, body);
    lastAnswer = performance.now();
    latencies.push(lastAnswer - sentAt);
    requests++;
    if (r.status === 0) {
      errors++;
      firstProblem ??= r.text;
      continue;
    }
    if (r.status !== 202) {
      non2xx++;
      firstProblem ??= `POST /api/positions answered ${r.status}: ${r.text.slice(0, 200)}`;
      continue;
    }
    const a = JSON.parse(r.text) as { accepted: number; recorded: number; rejected: unknown[] };
    accepted += a.accepted;
    recorded += a.recorded;
    rejected += a.rejected.length;
    if (a.rejected.length > 0) firstProblem ??= `fixes rejected: ${JSON.stringify(a.rejected[0])}`;
    if (marker.timed) pending.push({ unit: marker.id, stamp: marker.stamp, answeredAt: lastAnswer });
  }
  feeding = false;
  await watching;
  return {
    seconds: (lastAnswer - t0) / 1000,
    requests,
    accepted,
    recorded,
    rejected,
    non2xx,
    errors,
    latencies,
    shown,
    shownLive,
    missing,
    budgetWaits,
    firstProblem,
  };
}
