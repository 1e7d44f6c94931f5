/**
 * Where a search starts or ends, on graph nodes: a point snapped onto an edge reaches the
 * edge's two ends at a part of the edge's cost. `weight` in seconds, `length` in metres.
 */
export interface Seed {
  readonly node: number;
  readonly weight: number;
  readonly length: number;
}
