import { buildArcGraph } from './arc-graph.ts';
import { largestComponent } from './components.ts';
import { contract } from './contraction.ts';
import { speedsKey, type DriveProfile } from './drive-profile.ts';
import { foldDegreeTwo } from './fold.ts';
import type { GraphBundle } from './graph-file.ts';
import { arcCount } from './hierarchy.ts';
import type { RoadNetwork } from './road-network.ts';
import { WALK_MODE, driveMode } from './travel-mode.ts';

/**
 * From an imported network to what the router loads: the largest connected component, degree-2
 * vertices folded, and one contraction hierarchy per profile (drive with the profile's speeds;
 * walk). Unit types share the drive hierarchy: their factor scales every trip alike.
 */
export function buildBundle(network: RoadNetwork, drive: DriveProfile, meta: Record<string, unknown> = {}): GraphBundle {
  const { network: kept, report } = largestComponent(network);
  const graph = foldDegreeTwo(kept);
  const driveH = contract(buildArcGraph(graph, driveMode(drive)));
  const walkH = contract(buildArcGraph(graph, WALK_MODE));
  return {
    meta: {
      ...meta,
      driveSpeeds: speedsKey(drive),
      counts: {
        importedVertices: network.lat.length,
        importedSegments: network.segA.length,
        components: report.components,
        droppedVertices: report.droppedVertices,
        keptVertices: kept.lat.length,
        keptSegments: kept.segA.length,
        nodes: graph.nodeLat.length,
        edges: graph.edgeFrom.length,
        driveHierarchyArcs: arcCount(driveH),
        walkHierarchyArcs: arcCount(walkH),
      },
    },
    graph,
    hierarchies: { drive: driveH, walk: walkH },
  };
}
