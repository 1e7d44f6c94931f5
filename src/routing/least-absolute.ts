/**
 * Least absolute deviations: β minimising Σ |y − Xβ|, by iteratively reweighted least squares
 * (weights 1 / max(|residual|, ε)). Robust to the runs whose stamps are wrong (a crew that
 * forgot to press "on scene"), which a squared-error fit would chase.
 */
export function leastAbsolute(x: readonly (readonly number[])[], y: readonly number[], iterations = 60): number[] {
  const p = x[0]?.length ?? 0;
  let beta = weightedLeastSquares(x, y, y.map(() => 1));
  for (let it = 0; it < iterations; it++) {
    const w = y.map((yi, i) => 1 / Math.max(Math.abs(yi - dot(x[i]!, beta)), 1));
    const next = weightedLeastSquares(x, y, w);
    const change = next.reduce((m, b, j) => Math.max(m, Math.abs(b - beta[j]!)), 0);
    beta = next;
    if (change < 1e-9) break;
  }
  return beta.length === p ? beta : new Array<number>(p).fill(0);
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** Solves (XᵀWX)β = XᵀWy by Gaussian elimination with partial pivoting; a tiny ridge keeps it solvable. */
function weightedLeastSquares(x: readonly (readonly number[])[], y: readonly number[], w: readonly number[]): number[] {
  const p = x[0]?.length ?? 0;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  x.forEach((row, i) => {
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) a[j]![k]! += w[i]! * row[j]! * row[k]!;
      a[j]![p]! += w[i]! * row[j]! * y[i]!;
    }
  });
  for (let j = 0; j < p; j++) a[j]![j]! += 1e-9 * (1 + Math.abs(a[j]![j]!));
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= p; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, j) => row[p]! / row[j]!);
}
