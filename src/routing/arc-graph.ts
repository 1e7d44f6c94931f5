import type { RoadGraph } from './road-graph.ts';
import type { TravelMode } from './travel-mode.ts';

/**
 * The directed graph one travel mode sees: an arc per edge and allowed direction, weighted in
 * seconds, in compressed rows both ways (out-arcs by tail, in-arcs by head). An arc remembers its
 * edge as `edge * 2 + (1 if taken to → from)`.
 */
export interface ArcGraph {
  readonly nodeCount: number;
  readonly outStart: Int32Array;
  readonly outHead: Int32Array;
  readonly outWeight: Float64Array;
  readonly outLength: Float64Array;
  readonly outEdge: Int32Array;
  readonly inStart: Int32Array;
  readonly inTail: Int32Array;
  readonly inWeight: Float64Array;
  readonly inLength: Float64Array;
  readonly inEdge: Int32Array;
}

/** Seconds to cover edge e in this mode (Infinity when closed). */
export const edgeSeconds = (g: RoadGraph, mode: TravelMode, e: number): number => {
  const v = mode.speedByClass[g.edgeClass[e]!]!;
  return v > 0 ? g.edgeLength[e]! / v : Infinity;
};

/**
 * Arc weights (s) and lengths (m) are rounded to thousandths, so that a hierarchy stores them
 * exactly as int32 and every engine adds up the same numbers.
 */
export const milli = (x: number): number => Math.round(x * 1000) / 1000;

export function buildArcGraph(g: RoadGraph, mode: TravelMode): ArcGraph {
  const n = g.nodeLat.length;
  const tails: number[] = [];
  const heads: number[] = [];
  const refs: number[] = [];
  for (let e = 0; e < g.edgeFrom.length; e++) {
    const a = g.edgeFrom[e]!;
    const b = g.edgeTo[e]!;
    if (a === b || mode.speedByClass[g.edgeClass[e]!]! <= 0) continue;
    const f = g.edgeFlags[e]!;
    if (mode.forward(f)) {
      tails.push(a);
      heads.push(b);
      refs.push(e * 2);
    }
    if (mode.backward(f)) {
      tails.push(b);
      heads.push(a);
      refs.push(e * 2 + 1);
    }
  }
  const m = tails.length;
  const csr = (key: number[]) => {
    const start = new Int32Array(n + 1);
    for (let i = 0; i < m; i++) start[key[i]! + 1]!++;
    for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
    const fill = start.slice(0, n);
    const order = new Int32Array(m);
    for (let i = 0; i < m; i++) order[fill[key[i]!]!++] = i;
    return { start, order };
  };
  const out = csr(tails);
  const inn = csr(heads);
  const weightOf = (i: number) => milli(edgeSeconds(g, mode, refs[i]! >> 1));
  const lengthOf = (i: number) => milli(g.edgeLength[refs[i]! >> 1]!);
  return {
    nodeCount: n,
    outStart: out.start,
    outHead: Int32Array.from(out.order, (i) => heads[i]!),
    outWeight: Float64Array.from(out.order, weightOf),
    outLength: Float64Array.from(out.order, lengthOf),
    outEdge: Int32Array.from(out.order, (i) => refs[i]!),
    inStart: inn.start,
    inTail: Int32Array.from(inn.order, (i) => tails[i]!),
    inWeight: Float64Array.from(inn.order, weightOf),
    inLength: Float64Array.from(inn.order, lengthOf),
    inEdge: Int32Array.from(inn.order, (i) => refs[i]!),
  };
}
