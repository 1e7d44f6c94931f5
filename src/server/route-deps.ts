import type { Samaritan } from '../composition/samaritan.ts';
import type { Queries } from '../read-models/queries.ts';

/** What every route plugin is built with: the running product and its read side. */
export interface RouteDeps {
  readonly app: Samaritan;
  readonly queries: Queries;
}
