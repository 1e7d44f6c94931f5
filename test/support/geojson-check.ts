import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIssues } from '@placemarkio/check-geojson';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMA_DIR = join(import.meta.dirname, '..', 'fixtures', 'standards', 'geojson', 'schema');

let validator: ValidateFunction | undefined;

/** ajv with the geojson.org draft-07 schema of any GeoJSON object (GeoJSON.json), compiled once. */
export function geojsonSchema(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as object);
  }
  validator = ajv.getSchema('https://geojson.org/schema/GeoJSON.json')!;
  return validator;
}

type Position = readonly number[];

/** Twice the signed area of a ring (shoelace, lon as x, lat as y): positive when counterclockwise. */
export const signedArea2 = (ring: readonly Position[]): number =>
  ring.slice(1).reduce((sum, p, i) => sum + (ring[i]![0]! * p[1]! - p[0]! * ring[i]![1]!), 0);

/**
 * What the schema does not see: every position is [lon, lat] within range with at most an
 * altitude after them, every ring is closed with at least four positions, and rings follow the
 * right-hand rule of RFC 7946 §3.1.6 (exterior counterclockwise, holes clockwise).
 */
export function semanticProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const position = (p: Position, where: string) => {
    if (p.length < 2 || p.length > 3) problems.push(`${where}: a position has ${p.length} numbers`);
    const [lon, lat] = p as [number, number];
    if (!(lon >= -180 && lon <= 180)) problems.push(`${where}: longitude ${lon} out of range`);
    if (!(lat >= -90 && lat <= 90)) problems.push(`${where}: latitude ${lat} out of range`);
  };
  const polygon = (rings: readonly (readonly Position[])[], where: string) =>
    rings.forEach((ring, i) => {
      ring.forEach((p) => position(p, where));
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (ring.length < 4 || !first || !last || first[0] !== last[0] || first[1] !== last[1]) problems.push(`${where}: ring ${i} is not closed`);
      const area = signedArea2(ring);
      if (i === 0 ? area <= 0 : area >= 0) problems.push(`${where}: ring ${i} breaks the right-hand rule`);
    });
  const geometry = (g: { type: string; coordinates?: unknown; geometries?: unknown[] } | null, where: string) => {
    if (g === null) return;
    const c = g.coordinates as never;
    switch (g.type) {
      case 'Point':
        return position(c, where);
      case 'MultiPoint':
      case 'LineString':
        return (c as Position[]).forEach((p) => position(p, where));
      case 'MultiLineString':
        return (c as Position[][]).forEach((l) => l.forEach((p) => position(p, where)));
      case 'Polygon':
        return polygon(c, where);
      case 'MultiPolygon':
        return (c as Position[][][]).forEach((rings) => polygon(rings, where));
      case 'GeometryCollection':
        return g.geometries?.forEach((x, i) => geometry(x as never, `${where}/geometries/${i}`));
    }
  };
  const d = doc as { type: string; features?: { geometry: never }[]; geometry?: never; crs?: unknown };
  if ('crs' in d) problems.push('a crs member (RFC 7946 §4 removed it)');
  if (d.type === 'FeatureCollection') d.features?.forEach((f, i) => geometry(f.geometry, `/features/${i}`));
  else if (d.type === 'Feature') geometry(d.geometry ?? null, '');
  else geometry(d as never, '');
  return problems;
}

/** Every problem the schema, check-geojson and our own checks find in a GeoJSON text; [] when it is valid. */
export function geojsonProblems(text: string): string[] {
  const doc = JSON.parse(text) as unknown;
  const schema = geojsonSchema();
  const fromSchema = schema(doc) ? [] : (schema.errors ?? []).map((e) => `schema ${e.instancePath}: ${e.message}`);
  const fromHint = getIssues(text).map((i) => `check-geojson: ${i.message}`);
  return [...fromSchema, ...fromHint, ...semanticProblems(doc)];
}
