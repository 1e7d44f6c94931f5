// A closed-loop feed of unit position batches (POST /api/positions) whose last fix is a marker,
// and a watcher that polls another (or the same) node until it shows that marker as the unit's
// live position: how many fixes a node takes per second, and how soon the live positions of some
// node hold the last fix of each batch.
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
/** Pause between polls that showed nothing new (ms): the resolution of the delays. */
const POLL_GAP_MS = 2;
/** At most this many pending batches are polled at once (one GET per unit), oldest first. */
const POLL_AT_ONCE = 8;

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
  /** Batches whose marker was watched. */
  readonly timed: number;
  /** ms from a timed batch's answer to the end of the first poll whose `livePosition` held its last fix (or a later one). */
  readonly shown: readonly number[];
  /** The same, from the moment the batch was sent. */
  readonly shownFromSend: readonly number[];
  /** Timed batches not shown within {@link SHOW_TIMEOUT_MS} of their answer. */
  readonly missing: number;
  /** GET /api/units/:id sent by the watcher. */
  readonly polls: number;
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

/** The time of a unit's live position as a reader of `base` sees it (epoch ms, NaN when none). */
async function liveAt(base: string, unit: string, token: string): Promise<number> {
  const r = await send(base, 'GET', `/api/units/${unit}`, token);
  if (r.status !== 200) throw new Error(`GET /api/units/${unit} answered ${r.status}: ${r.text.slice(0, 200)}`);
  const u = JSON.parse(r.text) as { livePosition?: { at?: string } };
  return Date.parse(u.livePosition?.at ?? '');
}

interface Marker {
  readonly id: string;
  readonly spots: readonly { readonly lat: number; readonly lon: number }[];
  /** The spot of its last fix the log keeps (-1: none yet from this feed). */
  spot: number;
  loggedAt: number;
  stamp: number;
}

/**
 * A connection's marker units, each the last fix of a batch in turn (round robin, so that a
 * marker's fix is not replaced by its next one before a node passes it on). Every marker fix is
 * the unit's live position wherever it is shown; the log keeps one only every
 * {@link SAMPLE_MIN_INTERVAL_MS} and when the unit moved, so a marker due for a sample moves to its
 * other spot and one that is not stays on its spot: the log gets a few samples a second, as from
 * units that drive, not one per batch.
 */
export class MarkerPool {
  private readonly markers: Marker[];
  private turn = 0;

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

  /** The next marker fix (stamped `now` or just after its last). */
  next(now: number): { readonly id: string; readonly json: string; readonly stamp: number } {
    const m = this.markers[this.turn++ % this.markers.length]!;
    m.stamp = Math.max(m.stamp + 1, now);
    if (m.stamp - m.loggedAt >= SAMPLE_MIN_INTERVAL_MS) {
      m.spot = m.spot === 0 ? 1 : 0;
      m.loggedAt = m.stamp;
    }
    const at = m.spots[Math.max(0, m.spot)]!;
    return { id: m.id, json: JSON.stringify({ unitId: m.id, ...at, at: new Date(m.stamp).toISOString() }), stamp: m.stamp };
  }
}

/**
 * One connection's feed for one round: batches into `feedBase` back to back for `seconds`, each
 * ending with a marker's fix; meanwhile `watchBase` is polled (GET /api/units/:id) for the marker
 * of every `timeEvery`th batch until its `livePosition` shows that fix's stamp (or a later one).
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
  readonly timeEvery: number;
}): Promise<FeedRound> {
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  const pending: { unit: string; stamp: number; sentAt: number; answeredAt: number }[] = [];
  const latencies: number[] = [];
  const shown: number[] = [];
  const shownFromSend: number[] = [];
  let timed = 0;
  let missing = 0;
  let polls = 0;
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

  // The oldest pending batches are polled together, one GET per unit, so that a slow answer (the
  // watched node busy with a batch) does not leave later batches waiting on the watcher.
  const watch = async () => {
    while (feeding || pending.length > 0) {
      if (pending.length === 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const units = [...new Set(pending.slice(0, POLL_AT_ONCE).map((p) => p.unit))];
      const seen = new Map<string, { live: number; at: number }>();
      await Promise.all(
        units.map(async (unit) => {
          polls++;
          let live = Number.NaN;
          try {
            live = await liveAt(o.watchBase, unit, o.watchToken);
          } catch (e) {
            errors++;
            firstProblem ??= String(e);
          }
          seen.set(unit, { live, at: performance.now() });
        }),
      );
      let resolved = 0;
      for (let k = 0; k < pending.length;) {
        const p = pending[k]!;
        const s = seen.get(p.unit);
        if (s !== undefined && s.live >= p.stamp) {
          shown.push(s.at - p.answeredAt);
          shownFromSend.push(s.at - p.sentAt);
        } else if (s !== undefined && s.at - p.answeredAt > SHOW_TIMEOUT_MS) {
          missing++;
          firstProblem ??= `unit ${p.unit}'s fix stamped ${new Date(p.stamp).toISOString()} not its livePosition within ${SHOW_TIMEOUT_MS} ms`;
        } else {
          k++;
          continue;
        }
        pending.splice(k, 1);
        resolved++;
      }
      if (resolved === 0) await new Promise((r) => setTimeout(r, POLL_GAP_MS));
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
    if (i % o.timeEvery === 0) {
      timed++;
      pending.push({ unit: marker.id, stamp: marker.stamp, sentAt, answeredAt: lastAnswer });
    }
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
    timed,
    shown,
    shownFromSend,
    missing,
    polls,
    budgetWaits,
    firstProblem,
  };
}
