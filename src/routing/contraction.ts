import type { ArcGraph } from './arc-graph.ts';
import type { Hierarchy } from './hierarchy.ts';
import { MinHeap } from './min-heap.ts';

/** One node's arcs in one direction while the graph is being contracted. */
interface Adjacency {
  nbr: number[];
  weight: number[];
  length: number[];
  mid: number[];
}

const emptyAdjacency = (): Adjacency => ({ nbr: [], weight: [], length: [], mid: [] });

/** Witness searches give up after settling this many nodes: a miss only costs a needless shortcut. */
const WITNESS_SETTLE_LIMIT = 400;
const SIMULATION_SETTLE_LIMIT = 60;

/**
 * Contracts every node, least important first (edge difference plus contracted neighbours, kept
 * up to date lazily), adding a shortcut u→w past v unless a witness search finds a path from u to
 * w without v that is no longer. Deterministic for a given graph.
 */
export function contract(g: ArcGraph): Hierarchy {
  const n = g.nodeCount;
  const out: Adjacency[] = Array.from({ length: n }, emptyAdjacency);
  const inn: Adjacency[] = Array.from({ length: n }, emptyAdjacency);
  for (let u = 0; u < n; u++) {
    for (let i = g.outStart[u]!; i < g.outStart[u + 1]!; i++) {
      setArc(out, inn, u, g.outHead[i]!, g.outWeight[i]!, g.outLength[i]!, -1 - g.outEdge[i]!);
    }
  }
  const contracted = new Uint8Array(n);
  const deletedNeighbours = new Int32Array(n);
  const dist = new Float64Array(n);
  const stamp = new Int32Array(n);
  let generation = 0;
  const heap = new MinHeap(n);

  /** Shortest u→… distances avoiding `skip`, up to `limit`; results readable via distTo. */
  const witness = (u: number, skip: number, limit: number, settleLimit: number) => {
    generation++;
    heap.clear();
    dist[u] = 0;
    stamp[u] = generation;
    heap.push(u, 0);
    let settled = 0;
    while (heap.size > 0) {
      const key = heap.peekKey();
      if (key > limit || settled >= settleLimit) break;
      const x = heap.pop();
      settled++;
      const a = out[x]!;
      for (let k = 0; k < a.nbr.length; k++) {
        const y = a.nbr[k]!;
        if (y === skip || contracted[y]) continue;
        const d = key + a.weight[k]!;
        if (stamp[y] !== generation || d < dist[y]!) {
          dist[y] = d;
          stamp[y] = generation;
          heap.push(y, d);
        }
      }
    }
  };
  const distTo = (y: number) => (stamp[y] === generation ? dist[y]! : Infinity);

  /** Visits each shortcut that contracting v needs: (u, w, weight, length). */
  const shortcutsOf = (v: number, settleLimit: number, visit: (u: number, w: number, weight: number, length: number) => void) => {
    const ins = inn[v]!;
    const outs = out[v]!;
    for (let i = 0; i < ins.nbr.length; i++) {
      const u = ins.nbr[i]!;
      if (contracted[u]) continue;
      let limit = 0;
      for (let j = 0; j < outs.nbr.length; j++) {
        const w = outs.nbr[j]!;
        if (w !== u && !contracted[w]) limit = Math.max(limit, ins.weight[i]! + outs.weight[j]!);
      }
      if (limit === 0) continue;
      witness(u, v, limit, settleLimit);
      for (let j = 0; j < outs.nbr.length; j++) {
        const w = outs.nbr[j]!;
        if (w === u || contracted[w]) continue;
        const via = ins.weight[i]! + outs.weight[j]!;
        if (distTo(w) > via) visit(u, w, via, ins.length[i]! + outs.length[j]!);
      }
    }
  };

  const priority = (v: number): number => {
    let added = 0;
    shortcutsOf(v, SIMULATION_SETTLE_LIMIT, () => added++);
    const removed = inn[v]!.nbr.length + out[v]!.nbr.length;
    return 2 * (added - removed) + deletedNeighbours[v]!;
  };

  const queue = new MinHeap(n);
  for (let v = 0; v < n; v++) queue.push(v, priority(v));

  const order = new Int32Array(n);
  const upOut: Adjacency[] = new Array<Adjacency>(n);
  const upIn: Adjacency[] = new Array<Adjacency>(n);
  for (let rank = 0; rank < n; rank++) {
    let v = queue.pop();
    // Lazy update: a node whose priority went up since it was queued goes back in line.
    for (;;) {
      const p = priority(v);
      if (queue.size === 0 || p <= queue.peekKey()) break;
      queue.push(v, p);
      v = queue.pop();
    }
    const added: [number, number, number, number, number][] = [];
    shortcutsOf(v, WITNESS_SETTLE_LIMIT, (u, w, weight, length) => added.push([u, w, weight, length, v]));
    contracted[v] = 1;
    order[rank] = v;
    upOut[v] = out[v]!;
    upIn[v] = inn[v]!;
    const neighbours = new Set<number>([...out[v]!.nbr, ...inn[v]!.nbr]);
    for (const x of neighbours) {
      removeArc(inn[x]!, v);
      removeArc(out[x]!, v);
      deletedNeighbours[x]!++;
    }
    for (const [u, w, weight, length, mid] of added) setArc(out, inn, u, w, weight, length, mid);
    for (const x of neighbours) queue.set(x, priority(x));
  }
  return freeze(n, order, upOut, upIn);
}

/** Adds arc u→w, or lowers an existing one; a longer parallel arc is dropped. */
function setArc(out: Adjacency[], inn: Adjacency[], u: number, w: number, weight: number, length: number, mid: number): void {
  if (u === w) return;
  const a = out[u]!;
  const i = a.nbr.indexOf(w);
  if (i >= 0) {
    if (a.weight[i]! <= weight) return;
    [a.weight[i], a.length[i], a.mid[i]] = [weight, length, mid];
    const b = inn[w]!;
    const j = b.nbr.indexOf(u);
    [b.weight[j], b.length[j], b.mid[j]] = [weight, length, mid];
    return;
  }
  push(a, w, weight, length, mid);
  push(inn[w]!, u, weight, length, mid);
}

function push(a: Adjacency, nbr: number, weight: number, length: number, mid: number): void {
  a.nbr.push(nbr);
  a.weight.push(weight);
  a.length.push(length);
  a.mid.push(mid);
}

function removeArc(a: Adjacency, x: number): void {
  const i = a.nbr.indexOf(x);
  if (i < 0) return;
  const last = a.nbr.length - 1;
  for (const list of [a.nbr, a.weight, a.length, a.mid]) {
    list[i] = list[last]!;
    list.pop();
  }
}

/** Lays the hierarchy out in rank order (row r holds the node of rank r), so a PHAST sweep reads memory in sequence. */
function freeze(n: number, order: Int32Array, upOut: Adjacency[], upIn: Adjacency[]): Hierarchy {
  const rankOf = new Int32Array(n);
  for (let r = 0; r < n; r++) rankOf[order[r]!] = r;
  const pack = (lists: Adjacency[]) => {
    const start = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) start[r + 1] = start[r]! + lists[order[r]!]!.nbr.length;
    const m = start[n]!;
    const other = new Int32Array(m);
    const weight = new Float64Array(m);
    const length = new Float64Array(m);
    const mid = new Int32Array(m);
    for (let r = 0; r < n; r++) {
      const a = lists[order[r]!]!;
      // Sorted by neighbour so that the file does not depend on insertion history.
      const idx = a.nbr.map((_, i) => i).sort((x, y) => rankOf[a.nbr[x]!]! - rankOf[a.nbr[y]!]!);
      idx.forEach((i, k) => {
        const at = start[r]! + k;
        other[at] = rankOf[a.nbr[i]!]!;
        weight[at] = a.weight[i]!;
        length[at] = a.length[i]!;
        mid[at] = a.mid[i]! >= 0 ? rankOf[a.mid[i]!]! : a.mid[i]!;
      });
    }
    return { start, other, weight, length, mid };
  };
  const o = pack(upOut);
  const i = pack(upIn);
  return {
    nodeCount: n,
    order,
    upOutStart: o.start,
    upOutHead: o.other,
    upOutWeight: o.weight,
    upOutLength: o.length,
    upOutMid: o.mid,
    upInStart: i.start,
    upInTail: i.other,
    upInWeight: i.weight,
    upInLength: i.length,
    upInMid: i.mid,
  };
}
