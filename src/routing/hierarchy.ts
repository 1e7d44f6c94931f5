/**
 * A contraction hierarchy: every node has a rank, and every arc (original or shortcut) is kept
 * only at its lower end. Rows, neighbours and `mid` are in RANK space: row r is the node of rank r
 * (node id `order[r]`). `upOut` of r holds arcs to higher ranks; `upIn` of r holds arcs into r
 * from higher ranks. A shortcut names the rank it bypasses (`mid` ≥ 0); an original arc stores
 * `-1 - edgeRef` (edgeRef = edge * 2 + 1 when taken to → from).
 */
export interface Hierarchy {
  readonly nodeCount: number;
  /** Node id of each rank: rank 0 (contracted first) first. */
  readonly order: Int32Array;
  readonly upOutStart: Int32Array;
  readonly upOutHead: Int32Array;
  readonly upOutWeight: Float64Array;
  readonly upOutLength: Float64Array;
  readonly upOutMid: Int32Array;
  readonly upInStart: Int32Array;
  readonly upInTail: Int32Array;
  readonly upInWeight: Float64Array;
  readonly upInLength: Float64Array;
  readonly upInMid: Int32Array;
}

export const arcCount = (h: Hierarchy): number => h.upOutHead.length + h.upInTail.length;

/** Rank of each node id: the inverse of `order`. */
export function ranks(h: Hierarchy): Int32Array {
  const rankOf = new Int32Array(h.nodeCount);
  for (let r = 0; r < h.nodeCount; r++) rankOf[h.order[r]!] = r;
  return rankOf;
}

/**
 * Expands a hierarchy arc (tail and head as ranks, with its `mid`) into the original edges it
 * stands for, in travel order, as edgeRefs; appends to `out`.
 */
export function unpackArc(h: Hierarchy, tail: number, head: number, weight: number, mid: number, out: number[]): void {
  const stack: [number, number, number, number][] = [[tail, head, weight, mid]];
  while (stack.length > 0) {
    const [u, w, wt, m] = stack.pop()!;
    if (m < 0) {
      out.push(-1 - m);
      continue;
    }
    // u→m is stored at m's upIn (u is higher than m), m→w at m's upOut.
    const first = findArc(h.upInStart, h.upInTail, h.upInWeight, h.upInMid, m, u);
    const second = findArc(h.upOutStart, h.upOutHead, h.upOutWeight, h.upOutMid, m, w);
    if (first === undefined || second === undefined || Math.abs(first.weight + second.weight - wt) > 1e-6 * Math.max(1, wt)) {
      throw new Error(`hierarchy is inconsistent: shortcut ${u}→${w} via ${m} has no matching halves`);
    }
    // Pushed in reverse so that u→m is expanded first.
    stack.push([m, w, second.weight, second.mid], [u, m, first.weight, first.mid]);
  }
}

function findArc(start: Int32Array, other: Int32Array, weight: Float64Array, mid: Int32Array, at: number, to: number) {
  let best: { weight: number; mid: number } | undefined;
  for (let i = start[at]!; i < start[at + 1]!; i++) {
    if (other[i] === to && (best === undefined || weight[i]! < best.weight)) best = { weight: weight[i]!, mid: mid[i]! };
  }
  return best;
}
