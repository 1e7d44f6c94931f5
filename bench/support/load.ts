import autocannon from 'autocannon';

export interface LoadSpec {
  readonly base: string;
  readonly method: 'GET' | 'POST';
  readonly connections: number;
  readonly durationS: number;
  /** Sent with every request (e.g. authorization). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The next request's path and JSON body; called once per request sent. */
  readonly next: () => { readonly path: string; readonly body?: string };
}

/** What one autocannon run saw, unsummarised, so runs can be merged. */
export interface RawRun {
  /** Seconds, as autocannon measured the run. */
  readonly durationS: number;
  /** Every answered request's latency, ms (any status). */
  readonly latencies: Float64Array;
  readonly ok: number;
  /** Requests written to a socket; those in flight when the run stopped were never answered. */
  readonly sent: number;
  readonly non2xx: number;
  /** Socket errors and timeouts: requests that got no answer at all. */
  readonly errors: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

export interface LoadSummary {
  readonly durationS: number;
  /** 2xx answers per second over all merged runs. */
  readonly reqPerS: number;
  readonly ok: number;
  readonly sent: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Latency percentiles in ms over every answered request, exact (not bucketed). */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Drives one closed-loop load with autocannon: `connections` keep-alive connections, each sending
 * its next request as soon as the previous answer arrives, for `durationS` seconds.
 */
export async function drive(spec: LoadSpec): Promise<RawRun> {
  const first = spec.next();
  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.base,
    connections: spec.connections,
    duration: spec.durationS,
    timeout: 30,
    requests: [
      {
        method: spec.method,
        path: first.path,
        headers: { ...spec.headers, ...(spec.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        setupRequest: (req) => {
          const r = spec.next();
          return r.body === undefined ? { ...req, path: r.path } : { ...req, path: r.path, body: r.body };
        },
      },
    ],
  });
  // autocannon's own histogram has 1 ms resolution; keep every response time to report sub-ms latency.
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const result = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    durationS: result.duration,
    latencies: Float64Array.from(latencies),
    ok: result['2xx'],
    sent: result.requests.sent,
    non2xx: result.non2xx,
    errors: result.errors, // autocannon counts timeouts among errors
    statusCodes,
  };
}

/** Merges runs of the same load: throughput over their summed durations, percentiles over all answers. */
export function summarize(runs: readonly RawRun[]): LoadSummary {
  const all = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of runs) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const sum = (f: (r: RawRun) => number) => runs.reduce((n, r) => n + f(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [c, n] of Object.entries(r.statusCodes)) statusCodes[c] = (statusCodes[c] ?? 0) + n;
  const durationS = sum((r) => r.durationS);
  return {
    durationS,
    reqPerS: sum((r) => r.ok) / durationS,
    ok: sum((r) => r.ok),
    sent: sum((r) => r.sent),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    statusCodes,
    p50: percentile(all, 0.5),
    p90: percentile(all, 0.9),
    p99: percentile(all, 0.99),
    max: all.length === 0 ? Number.NaN : all[all.length - 1]!,
  };
}
