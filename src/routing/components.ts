import type { RoadNetwork } from './road-network.ts';

export interface ComponentReport {
  readonly components: number;
  readonly keptVertices: number;
  readonly droppedVertices: number;
}

function find(parent: Int32Array, x: number): number {
  let r = x;
  while (parent[r] !== r) r = parent[r]!;
  while (parent[x] !== r) {
    const next = parent[x]!;
    parent[x] = r;
    x = next;
  }
  return r;
}

/**
 * Keeps the largest connected component (segments taken as undirected) and drops the islands:
 * a point near an island would snap onto a road that reaches nothing. Vertices used by no
 * segment are dropped too. Vertex order is kept.
 */
export function largestComponent(n: RoadNetwork): { network: RoadNetwork; report: ComponentReport } {
  const vCount = n.lat.length;
  const parent = new Int32Array(vCount);
  for (let i = 0; i < vCount; i++) parent[i] = i;
  const size = new Int32Array(vCount).fill(1);
  for (let s = 0; s < n.segA.length; s++) {
    let a = find(parent, n.segA[s]!);
    let b = find(parent, n.segB[s]!);
    if (a === b) continue;
    if (size[a]! < size[b]!) [a, b] = [b, a];
    parent[b] = a;
    size[a]! += size[b]!;
  }
  const used = new Uint8Array(vCount);
  for (let s = 0; s < n.segA.length; s++) used[n.segA[s]!] = used[n.segB[s]!] = 1;
  const roots = new Map<number, number>();
  for (let v = 0; v < vCount; v++) if (used[v]) roots.set(find(parent, v), (roots.get(find(parent, v)) ?? 0) + 1);
  let best = -1;
  let bestSize = 0;
  for (const [root, count] of roots) {
    if (count > bestSize || (count === bestSize && root < best)) [best, bestSize] = [root, count];
  }
  const newIndex = new Int32Array(vCount).fill(-1);
  let kept = 0;
  for (let v = 0; v < vCount; v++) if (used[v] && find(parent, v) === best) newIndex[v] = kept++;
  const lat = new Float64Array(kept);
  const lon = new Float64Array(kept);
  for (let v = 0; v < vCount; v++) {
    const k = newIndex[v]!;
    if (k >= 0) [lat[k], lon[k]] = [n.lat[v]!, n.lon[v]!];
  }
  const segs: number[] = [];
  for (let s = 0; s < n.segA.length; s++) if (newIndex[n.segA[s]!]! >= 0) segs.push(s);
  const network: RoadNetwork = {
    lat,
    lon,
    segA: Int32Array.from(segs, (s) => newIndex[n.segA[s]!]!),
    segB: Int32Array.from(segs, (s) => newIndex[n.segB[s]!]!),
    segClass: Uint8Array.from(segs, (s) => n.segClass[s]!),
    segFlags: Uint8Array.from(segs, (s) => n.segFlags[s]!),
  };
  return { network, report: { components: roots.size, keptVertices: kept, droppedVertices: roots.size === 0 ? 0 : [...roots.values()].reduce((x, y) => x + y, 0) - kept } };
}
