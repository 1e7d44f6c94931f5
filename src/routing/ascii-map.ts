import type { LatLon } from '../core/lat-lon.ts';
import { DRIVE_BACKWARD, DRIVE_BOTH, DRIVE_FORWARD, WALK, roadClassCode, type RoadClass } from './road-class.ts';
import { RoadNetworkBuilder, type RoadNetwork } from './road-network.ts';

/** A way drawn through named nodes of an ASCII map, OSRM style. */
export interface AsciiWay {
  /** Node letters in order, e.g. "abc". */
  readonly nodes: string;
  readonly roadClass?: RoadClass;
  /** 'yes': only in the order drawn; '-1': only against it. */
  readonly oneway?: 'yes' | '-1';
  /** Defaults to true, except on freeways. */
  readonly walk?: boolean;
}

export interface AsciiMap {
  readonly network: RoadNetwork;
  /** Where each letter (a node) and digit (a point that is not a node) of the drawing is. */
  at(name: string): LatLon;
}

const ORIGIN = { lat: 37.7, lon: -122.4 };
const M_PER_DEG = (Math.PI / 180) * 6_371_008.8;

/**
 * Reads a road network from a drawing: each character cell is `gridM` metres wide and tall,
 * letters are nodes, digits are points to route from or to, other characters are decoration.
 * Roads are the `ways`, through the letters; the drawing is only where things are.
 *
 *     a - b - c        a way "abc" of 80 m with gridM 10,
 *         1            and point 1 some 10 m south of b.
 */
export function asciiMap(drawing: string, ways: readonly AsciiWay[], gridM = 10): AsciiMap {
  const places = new Map<string, LatLon>();
  const rows = drawing.split('\n');
  rows.forEach((line, row) => {
    [...line].forEach((ch, col) => {
      if (!/[a-z0-9]/i.test(ch)) return;
      if (places.has(ch)) throw new Error(`ascii map: "${ch}" is drawn twice`);
      const lat = ORIGIN.lat - (row * gridM) / M_PER_DEG;
      const lon = ORIGIN.lon + (col * gridM) / (M_PER_DEG * Math.cos((ORIGIN.lat * Math.PI) / 180));
      places.set(ch, { lat, lon });
    });
  });
  const at = (name: string): LatLon => {
    const p = places.get(name);
    if (p === undefined) throw new Error(`ascii map: "${name}" is not in the drawing`);
    return p;
  };
  const builder = new RoadNetworkBuilder();
  const vertex = new Map<string, number>();
  const v = (name: string): number => {
    let i = vertex.get(name);
    if (i === undefined) {
      const p = at(name);
      i = builder.addVertex(p.lat, p.lon);
      vertex.set(name, i);
    }
    return i;
  };
  for (const w of ways) {
    const cls = w.roadClass ?? 'street';
    const drive = cls === 'path' ? 0 : w.oneway === 'yes' ? DRIVE_FORWARD : w.oneway === '-1' ? DRIVE_BACKWARD : DRIVE_BOTH;
    const walk = (w.walk ?? cls !== 'freeway') ? WALK : 0;
    const names = [...w.nodes];
    for (let k = 0; k + 1 < names.length; k++) builder.addSegment(v(names[k]!), v(names[k + 1]!), roadClassCode(cls), drive | walk);
  }
  return { network: builder.build(), at };
}
