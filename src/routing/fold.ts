import { haversine } from '../core/lat-lon.ts';
import { DRIVE_BACKWARD, DRIVE_FORWARD } from './road-class.ts';
import type { RoadGraph } from './road-graph.ts';
import type { RoadNetwork } from './road-network.ts';

/** A segment's flags as seen walking it from b to a: the two drive directions swap. */
const reversed = (flags: number): number =>
  (flags & ~(DRIVE_FORWARD | DRIVE_BACKWARD)) | (flags & DRIVE_FORWARD ? DRIVE_BACKWARD : 0) | (flags & DRIVE_BACKWARD ? DRIVE_FORWARD : 0);

/**
 * Folds every vertex that only continues a road (two segments to two different neighbours, same
 * class, same rules in the same direction) into the edge through it. What remains as nodes are
 * junctions, dead ends and the points where a road changes class or rules. The folded vertices
 * stay in the edges' geometry.
 */
export function foldDegreeTwo(n: RoadNetwork): RoadGraph {
  const vCount = n.lat.length;
  const sCount = n.segA.length;
  const start = new Int32Array(vCount + 1);
  for (let s = 0; s < sCount; s++) {
    start[n.segA[s]! + 1]!++;
    start[n.segB[s]! + 1]!++;
  }
  for (let v = 0; v < vCount; v++) start[v + 1]! += start[v]!;
  const incident = new Int32Array(2 * sCount);
  const fill = start.slice(0, vCount);
  for (let s = 0; s < sCount; s++) {
    incident[fill[n.segA[s]!]!++] = s;
    incident[fill[n.segB[s]!]!++] = s;
  }
  const other = (s: number, v: number) => (n.segA[s] === v ? n.segB[s]! : n.segA[s]!);
  /** Flags of segment s walked away from vertex v. */
  const flagsFrom = (s: number, v: number) => (n.segA[s] === v ? n.segFlags[s]! : reversed(n.segFlags[s]!));

  const isNode = new Uint8Array(vCount);
  for (let v = 0; v < vCount; v++) {
    if (start[v + 1]! - start[v]! !== 2) {
      isNode[v] = 1;
      continue;
    }
    const s1 = incident[start[v]!]!;
    const s2 = incident[start[v]! + 1]!;
    const u = other(s1, v);
    const w = other(s2, v);
    // Continuing means: arriving along s1 (u→v) has the same rules as leaving along s2 (v→w).
    const continues = u !== w && n.segClass[s1] === n.segClass[s2] && reversed(flagsFrom(s1, v)) === flagsFrom(s2, v);
    if (!continues) isNode[v] = 1;
  }

  const visited = new Uint8Array(sCount);
  const edges: { from: number; to: number; cls: number; flags: number; length: number; verts: number[] }[] = [];
  const walk = (v0: number, s0: number) => {
    const verts = [v0];
    const flags = flagsFrom(s0, v0);
    let length = 0;
    let prev = v0;
    let s = s0;
    for (;;) {
      visited[s] = 1;
      const cur = other(s, prev);
      length += haversine({ lat: n.lat[prev]!, lon: n.lon[prev]! }, { lat: n.lat[cur]!, lon: n.lon[cur]! });
      verts.push(cur);
      if (isNode[cur]) break;
      const a = incident[start[cur]!]!;
      s = a === s ? incident[start[cur]! + 1]! : a;
      prev = cur;
    }
    edges.push({ from: v0, to: verts[verts.length - 1]!, cls: n.segClass[s0]!, flags, length, verts });
  };
  for (let v = 0; v < vCount; v++) {
    if (!isNode[v]) continue;
    for (let i = start[v]!; i < start[v + 1]!; i++) if (!visited[incident[i]!]) walk(v, incident[i]!);
  }
  // Rings with no junction at all (a closed path): the first vertex becomes a node.
  for (let s = 0; s < sCount; s++) {
    if (visited[s]) continue;
    isNode[n.segA[s]!] = 1;
    walk(n.segA[s]!, s);
  }

  const nodeIndex = new Int32Array(vCount).fill(-1);
  let nodes = 0;
  for (let v = 0; v < vCount; v++) if (isNode[v]) nodeIndex[v] = nodes++;
  const nodeLat = new Float64Array(nodes);
  const nodeLon = new Float64Array(nodes);
  for (let v = 0; v < vCount; v++) {
    const k = nodeIndex[v]!;
    if (k >= 0) [nodeLat[k], nodeLon[k]] = [n.lat[v]!, n.lon[v]!];
  }
  const geomStart = new Int32Array(edges.length + 1);
  edges.forEach((e, i) => (geomStart[i + 1] = geomStart[i]! + e.verts.length));
  const geomLat = new Float64Array(geomStart[edges.length]!);
  const geomLon = new Float64Array(geomStart[edges.length]!);
  edges.forEach((e, i) =>
    e.verts.forEach((v, k) => {
      geomLat[geomStart[i]! + k] = n.lat[v]!;
      geomLon[geomStart[i]! + k] = n.lon[v]!;
    }),
  );
  return {
    nodeLat,
    nodeLon,
    edgeFrom: Int32Array.from(edges, (e) => nodeIndex[e.from]!),
    edgeTo: Int32Array.from(edges, (e) => nodeIndex[e.to]!),
    edgeLength: Float64Array.from(edges, (e) => e.length),
    edgeClass: Uint8Array.from(edges, (e) => e.cls),
    edgeFlags: Uint8Array.from(edges, (e) => e.flags),
    geomStart,
    geomLat,
    geomLon,
  };
}
