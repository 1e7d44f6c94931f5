import { readFileSync } from 'node:fs';
import { readOsmPbf } from './osm-pbf.ts';
import { wayUse } from './osm-tags.ts';
import { roadClassCode } from './road-class.ts';
import { RoadNetworkBuilder, type RoadNetwork } from './road-network.ts';

export interface OsmImportReport {
  readonly ways: number;
  readonly roadWays: number;
  /** Ways naming a node the file does not hold (cut at the extract's edge): such segments are left out. */
  readonly missingNodeRefs: number;
}

/**
 * Builds the road network from an .osm.pbf: each highway way that someone may use (see
 * osm-tags.ts) becomes segments between its consecutive nodes, with its class and flags. Ways
 * meet where they share a node id.
 */
export function networkFromOsmPbf(bytes: Uint8Array, what = 'osm.pbf'): { network: RoadNetwork; report: OsmImportReport } {
  const nodeIndex = new Map<number, number>();
  const lat: number[] = [];
  const lon: number[] = [];
  const roads: { refs: readonly number[]; cls: number; flags: number }[] = [];
  let ways = 0;
  readOsmPbf(
    bytes,
    {
      node(id, la, lo) {
        nodeIndex.set(id, lat.length);
        lat.push(la);
        lon.push(lo);
      },
      way(_id, refs, tags) {
        ways++;
        const use = wayUse(tags);
        if (use) roads.push({ refs, cls: roadClassCode(use.roadClass), flags: use.flags });
      },
    },
    what,
  );
  const builder = new RoadNetworkBuilder();
  const vertexOf = new Map<number, number>();
  let missingNodeRefs = 0;
  const vertex = (id: number): number | undefined => {
    let v = vertexOf.get(id);
    if (v !== undefined) return v;
    const i = nodeIndex.get(id);
    if (i === undefined) return undefined;
    v = builder.addVertex(lat[i]!, lon[i]!);
    vertexOf.set(id, v);
    return v;
  };
  for (const r of roads) {
    let prev = vertex(r.refs[0]!);
    for (let k = 1; k < r.refs.length; k++) {
      const cur = vertex(r.refs[k]!);
      if (cur === undefined) missingNodeRefs++;
      if (prev !== undefined && cur !== undefined) builder.addSegment(prev, cur, r.cls, r.flags);
      prev = cur;
    }
  }
  return { network: builder.build(), report: { ways, roadWays: roads.length, missingNodeRefs } };
}

export function networkFromOsmPbfFile(file: string): { network: RoadNetwork; report: OsmImportReport } {
  return networkFromOsmPbf(readFileSync(file), file);
}
