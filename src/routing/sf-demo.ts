import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle } from './build-bundle.ts';
import { routerFromBundle } from './bundle-router.ts';
import { loadDriveProfile, type DriveProfile } from './drive-profile.ts';
import { geoJsonLines, networkFromLines } from './geojson-lines.ts';
import { readGraphFile, type GraphBundle } from './graph-file.ts';
import type { Router } from './router.ts';

/** Where the SF demo's road files live, relative to the project root. */
export const SF_FILES = {
  streets: 'data/sf/sf_streets_osm_derived_lines.geojson',
  arteries: 'data/sf/sf_arteries_datasf.geojson',
  freeways: 'data/sf/sf_freeways_datasf.geojson',
  graph: 'data/sf/sf-roads.graph',
  driveProfile: 'config/drive-profile.json',
} as const;

/** Metres within which a street counts as lying on the DataSF overlay line. */
const ARTERY_TOLERANCE_M = 10;
const FREEWAY_TOLERANCE_M = 15;

const readJson = (root: string, file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));

/** Imports the SF street lines, tags arteries and freeways, and builds both hierarchies. */
export function buildSfBundle(root: string, drive: DriveProfile = loadDriveProfile(join(root, SF_FILES.driveProfile))): GraphBundle {
  const streets = geoJsonLines(readJson(root, SF_FILES.streets), SF_FILES.streets);
  const overlays = [
    { roadClass: 'freeway' as const, lines: geoJsonLines(readJson(root, SF_FILES.freeways), SF_FILES.freeways), toleranceM: FREEWAY_TOLERANCE_M },
    { roadClass: 'arterial' as const, lines: geoJsonLines(readJson(root, SF_FILES.arteries), SF_FILES.arteries), toleranceM: ARTERY_TOLERANCE_M },
  ];
  return buildBundle(networkFromLines(streets, overlays), drive, {
    source: 'San Francisco streets (OpenStreetMap contributors, ODbL) with DataSF arteries and freeways',
    files: [SF_FILES.streets, SF_FILES.arteries, SF_FILES.freeways],
  });
}

/**
 * The San Francisco demo's router: reads data/sf/sf-roads.graph (built by scripts/build-graph.ts)
 * and config/drive-profile.json under `root`. Without the graph file it builds the graph from the
 * GeoJSON in memory (a few seconds) and says so through `notice`.
 */
export function loadSfRouter(root: string, notice: (message: string) => void = () => {}): Router {
  const drive = loadDriveProfile(join(root, SF_FILES.driveProfile));
  const file = join(root, SF_FILES.graph);
  if (!existsSync(file)) {
    notice(`${SF_FILES.graph} is missing: building the road graph from the GeoJSON in memory (run scripts/build-graph.ts to save it)`);
    return routerFromBundle(buildSfBundle(root, drive), drive, notice);
  }
  return routerFromBundle(readGraphFile(file), drive, notice);
}
