// Small latency statistics shared by the benchmarks and their child processes (no dependencies).

export interface MsStats {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles of `values` (ms); NaN when there are none. */
export function msStats(values: ArrayLike<number>): MsStats {
  const s = Float64Array.from(values).sort();
  const at = (q: number) => (s.length === 0 ? Number.NaN : s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1]!);
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s.length === 0 ? Number.NaN : s[s.length - 1]! };
}

export const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
};

export const envInt = (name: string, fallback: number): number => Math.max(1, Math.round(envNumber(name, fallback)));
