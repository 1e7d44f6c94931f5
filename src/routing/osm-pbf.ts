import { inflateSync } from 'node:zlib';
import { PbfReader } from 'pbf';

/** What the reader hands out: nodes with their position, ways with their node ids and tags. */
export interface OsmVisitor {
  node?(id: number, lat: number, lon: number): void;
  way?(id: number, refs: readonly number[], tags: Readonly<Record<string, string>>): void;
}

/** Features this reader understands; a file requiring any other is refused rather than misread. */
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

/**
 * Reads an OpenStreetMap .osm.pbf file (the fileformat of the OSM wiki): a sequence of blobs,
 * each a length-prefixed BlobHeader and a raw or zlib-compressed Blob holding an OSMHeader or a
 * PrimitiveBlock. Nodes (plain and dense) and ways are decoded; relations are skipped.
 */
export function readOsmPbf(bytes: Uint8Array, visit: OsmVisitor, what = 'osm.pbf'): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new Error(`${what}: truncated blob header length at byte ${at}`);
    const headerLength = view.getUint32(at, false);
    at += 4;
    const header = new PbfReader(bytes.subarray(at, at + headerLength)).readFields(
      (tag, h: { type: string; size: number }, pbf) => {
        if (tag === 1) h.type = pbf.readString();
        else if (tag === 3) h.size = pbf.readVarint();
      },
      { type: '', size: 0 },
    );
    at += headerLength;
    if (at + header.size > bytes.length) throw new Error(`${what}: blob of ${header.size} bytes at byte ${at} runs past the end`);
    const data = blobData(bytes.subarray(at, at + header.size), what);
    at += header.size;
    if (header.type === 'OSMHeader') checkHeader(data, what);
    else if (header.type === 'OSMData') readPrimitiveBlock(data, visit);
  }
}

function blobData(blob: Uint8Array, what: string): Uint8Array {
  const b = new PbfReader(blob).readFields(
    (tag, r: { raw?: Uint8Array; zlib?: Uint8Array; other?: number }, pbf) => {
      if (tag === 1) r.raw = pbf.readBytes();
      else if (tag === 3) r.zlib = pbf.readBytes();
      else if (tag === 4 || tag === 6 || tag === 7) r.other = tag;
    },
    {},
  );
  if (b.raw) return b.raw;
  if (b.zlib) return inflateSync(b.zlib);
  throw new Error(`${what}: blob compressed with field ${b.other ?? '?'} (lzma/lz4/zstd); only raw and zlib are read`);
}

function checkHeader(data: Uint8Array, what: string): void {
  const required: string[] = [];
  new PbfReader(data).readFields((tag, r: string[], pbf) => {
    if (tag === 4) r.push(pbf.readString());
  }, required);
  const unknown = required.filter((f) => !SUPPORTED_FEATURES.has(f));
  if (unknown.length > 0) throw new Error(`${what}: requires features this reader lacks: ${unknown.join(', ')}`);
}

interface Block {
  strings: string[];
  groups: Uint8Array[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

function readPrimitiveBlock(data: Uint8Array, visit: OsmVisitor): void {
  const block = new PbfReader(data).readFields(
    (tag, b: Block, pbf) => {
      if (tag === 1) {
        pbf.readMessage((t, strings: string[], p) => {
          if (t === 1) strings.push(p.readString());
        }, b.strings);
      } else if (tag === 2) b.groups.push(pbf.readBytes());
      else if (tag === 17) b.granularity = pbf.readVarint();
      else if (tag === 19) b.latOffset = pbf.readVarint(true);
      else if (tag === 20) b.lonOffset = pbf.readVarint(true);
    },
    { strings: [], groups: [], granularity: 100, latOffset: 0, lonOffset: 0 },
  );
  const lat = (raw: number) => 1e-9 * (block.latOffset + block.granularity * raw);
  const lon = (raw: number) => 1e-9 * (block.lonOffset + block.granularity * raw);
  for (const group of block.groups) {
    new PbfReader(group).readFields((tag, _: null, pbf) => {
      if (tag === 1 && visit.node) {
        const n = pbf.readMessage(
          (t, r: { id: number; lat: number; lon: number }, p) => {
            if (t === 1) r.id = p.readSVarint();
            else if (t === 8) r.lat = p.readSVarint();
            else if (t === 9) r.lon = p.readSVarint();
          },
          { id: 0, lat: 0, lon: 0 },
        );
        visit.node(n.id, lat(n.lat), lon(n.lon));
      } else if (tag === 2 && visit.node) {
        const d = pbf.readMessage(
          (t, r: { ids: number[]; lats: number[]; lons: number[] }, p) => {
            if (t === 1) p.readPackedSVarint(r.ids);
            else if (t === 8) p.readPackedSVarint(r.lats);
            else if (t === 9) p.readPackedSVarint(r.lons);
          },
          { ids: [], lats: [], lons: [] },
        );
        let id = 0;
        let la = 0;
        let lo = 0;
        for (let i = 0; i < d.ids.length; i++) {
          id += d.ids[i]!;
          la += d.lats[i]!;
          lo += d.lons[i]!;
          visit.node(id, lat(la), lon(lo));
        }
      } else if (tag === 3 && visit.way) {
        const w = pbf.readMessage(
          (t, r: { id: number; keys: number[]; vals: number[]; refs: number[] }, p) => {
            if (t === 1) r.id = p.readVarint();
            else if (t === 2) p.readPackedVarint(r.keys);
            else if (t === 3) p.readPackedVarint(r.vals);
            else if (t === 8) p.readPackedSVarint(r.refs);
          },
          { id: 0, keys: [], vals: [], refs: [] },
        );
        const tags: Record<string, string> = {};
        w.keys.forEach((k, i) => (tags[block.strings[k] ?? ''] = block.strings[w.vals[i]!] ?? ''));
        let ref = 0;
        const refs = w.refs.map((delta) => (ref += delta));
        visit.way(w.id, refs, tags);
      }
    }, null);
  }
}
