import { readFileSync, writeFileSync } from 'node:fs';
import type { Hierarchy } from './hierarchy.ts';
import type { RoadGraph } from './road-graph.ts';
import { E7 } from './road-network.ts';
import type { ProfileName } from './travel-mode.ts';

/** A built graph and its hierarchies, as written to and read from one binary file. */
export interface GraphBundle {
  /** Free-form facts about the build (sources, counts, the speeds the drive hierarchy used). */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly graph: RoadGraph;
  readonly hierarchies: Readonly<Partial<Record<ProfileName, Hierarchy>>>;
}

/** Bumped when the layout or meaning of a column changes (2: hierarchy rows in rank order). */
const MAGIC = 'SAMROAD2';
type Kind = 'i32' | 'f64' | 'u8' | 'e7' | 'milli';
interface Section {
  readonly name: string;
  readonly kind: Kind;
  readonly count: number;
  readonly offset: number;
}
type Column = Int32Array | Float64Array | Uint8Array;

const GRAPH_COLUMNS: readonly [keyof RoadGraph, Kind][] = [
  ['nodeLat', 'e7'],
  ['nodeLon', 'e7'],
  ['edgeFrom', 'i32'],
  ['edgeTo', 'i32'],
  ['edgeLength', 'f64'],
  ['edgeClass', 'u8'],
  ['edgeFlags', 'u8'],
  ['geomStart', 'i32'],
  ['geomLat', 'e7'],
  ['geomLon', 'e7'],
];
const HIERARCHY_COLUMNS: readonly [Exclude<keyof Hierarchy, 'nodeCount'>, Kind][] = [
  ['order', 'i32'],
  ['upOutStart', 'i32'],
  ['upOutHead', 'i32'],
  ['upOutWeight', 'milli'],
  ['upOutLength', 'milli'],
  ['upOutMid', 'i32'],
  ['upInStart', 'i32'],
  ['upInTail', 'i32'],
  ['upInWeight', 'milli'],
  ['upInLength', 'milli'],
  ['upInMid', 'i32'],
];
const BYTES: Record<Kind, number> = { i32: 4, f64: 8, u8: 1, e7: 4, milli: 4 };
/** Scale of the fixed-point kinds: coordinates in 1e-7 degrees, hierarchy weights and lengths in thousandths. */
const SCALE: Partial<Record<Kind, number>> = { e7: E7, milli: 1000 };
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Lays the bundle out as: the magic "SAMROAD2", a uint32 (little-endian) header length, a JSON
 * header (meta and the section table), then each column as raw little-endian typed data on an
 * 8-byte boundary. Coordinates are stored as int32 units of 1e-7 degrees, hierarchy weights
 * (s) and lengths (m) as int32 thousandths.
 */
export function encodeGraphBundle(b: GraphBundle): Uint8Array {
  const columns: [string, Kind, Column][] = GRAPH_COLUMNS.map(([k, kind]) => [`graph.${k}`, kind, b.graph[k]]);
  for (const [profile, h] of Object.entries(b.hierarchies)) {
    for (const [k, kind] of HIERARCHY_COLUMNS) columns.push([`${profile}.${k}`, kind, h[k]]);
  }
  const sections: Section[] = [];
  let offset = 0;
  for (const [name, kind, data] of columns) {
    sections.push({ name, kind, count: data.length, offset });
    offset = align8(offset + data.length * BYTES[kind]);
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta: b.meta, profiles: Object.keys(b.hierarchies), sections }));
  const dataStart = align8(MAGIC.length + 4 + header.length);
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  sections.forEach((s, i) => {
    const data = columns[i]![2];
    const at = dataStart + s.offset;
    const scale = SCALE[s.kind];
    if (scale !== undefined) {
      const ints = new Int32Array(out.buffer, at, data.length);
      for (let k = 0; k < data.length; k++) {
        const v = Math.round(data[k]! * scale);
        if (!(Math.abs(v) <= 0x7fffffff)) throw new Error(`section ${s.name}: value ${data[k]} does not fit the file's int32 fixed point`);
        ints[k] = v;
      }
    } else {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    }
  });
  return out;
}

/** Reads what encodeGraphBundle wrote; a file of another kind or version is an error naming the file. */
export function decodeGraphBundle(bytes: Uint8Array, what: string): GraphBundle {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error(`${what}: not a Samaritan road graph (expected magic ${MAGIC}, found ${JSON.stringify(magic)})`);
  // Typed views need aligned memory: copy when the file's buffer is not 8-byte aligned.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength))) as {
    meta: Record<string, unknown>;
    profiles: ProfileName[];
    sections: Section[];
  };
  const dataStart = buf.byteOffset + align8(MAGIC.length + 4 + headerLength);
  const byName = new Map(header.sections.map((s) => [s.name, s]));
  const column = (name: string): Column => {
    const s = byName.get(name);
    if (s === undefined) throw new Error(`${what}: section ${name} is missing`);
    if (dataStart - buf.byteOffset + s.offset + s.count * BYTES[s.kind] > buf.byteLength) throw new Error(`${what}: section ${name} runs past the end of the file`);
    const at = dataStart + s.offset;
    switch (s.kind) {
      case 'i32':
        return new Int32Array(buf.buffer, at, s.count);
      case 'f64':
        return new Float64Array(buf.buffer, at, s.count);
      case 'u8':
        return new Uint8Array(buf.buffer, at, s.count);
      case 'e7':
      case 'milli': {
        const ints = new Int32Array(buf.buffer, at, s.count);
        const scale = SCALE[s.kind]!;
        const out = new Float64Array(s.count);
        for (let k = 0; k < s.count; k++) out[k] = ints[k]! / scale;
        return out;
      }
    }
  };
  const graph = Object.fromEntries(GRAPH_COLUMNS.map(([k]) => [k, column(`graph.${k}`)])) as unknown as RoadGraph;
  const hierarchies: Partial<Record<ProfileName, Hierarchy>> = {};
  for (const p of header.profiles) {
    const cols = Object.fromEntries(HIERARCHY_COLUMNS.map(([k]) => [k, column(`${p}.${k}`)]));
    hierarchies[p] = { nodeCount: graph.nodeLat.length, ...cols } as unknown as Hierarchy;
  }
  return { meta: header.meta, graph, hierarchies };
}

export function writeGraphFile(file: string, b: GraphBundle): number {
  const bytes = encodeGraphBundle(b);
  writeFileSync(file, bytes);
  return bytes.length;
}

export function readGraphFile(file: string): GraphBundle {
  return decodeGraphBundle(readFileSync(file), file);
}
