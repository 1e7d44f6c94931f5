// Builds the San Francisco demo's road graph (data/sf/sf-roads.graph) from the GeoJSON in
// data/sf and the speeds in config/drive-profile.json, so that start-up only reads it.
//
//   npx tsx scripts/build-graph.ts
//
// Rebuild after changing the GeoJSON, the import or the drive profile (`samaritan calibrate`
// rewrites the profile); a router loading a graph built with other speeds rebuilds in memory.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SF_FILES, buildSfBundle } from '../src/routing/sf-demo.ts';
import { writeGraphFile } from '../src/routing/graph-file.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const bundle = buildSfBundle(root);
const builtMs = performance.now() - started;
const bytes = writeGraphFile(join(root, SF_FILES.graph), bundle);
const counts = bundle.meta.counts as Record<string, number>;
const fmt = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');
console.log(`Built ${SF_FILES.graph} in ${(builtMs / 1000).toFixed(1)} s: ${fmt(bytes)} bytes.`);
console.log(`  imported: ${fmt(counts.importedVertices)} vertices, ${fmt(counts.importedSegments)} segments in ${fmt(counts.components)} components`);
console.log(`  kept (largest component): ${fmt(counts.keptVertices)} vertices, ${fmt(counts.keptSegments)} segments`);
console.log(`  folded: ${fmt(counts.nodes)} nodes, ${fmt(counts.edges)} edges`);
console.log(`  hierarchies: drive ${fmt(counts.driveHierarchyArcs)} arcs, walk ${fmt(counts.walkHierarchyArcs)} arcs`);
