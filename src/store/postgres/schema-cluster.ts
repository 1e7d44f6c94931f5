/**
 * PostgreSQL schema: timer claims. One row per claim key (a timer's incident), locked FOR UPDATE
 * SKIP LOCKED by the node that fires it; `last_fired` and `node` say who fired it last, for the
 * operator. A row is a few dozen bytes and is kept: deleting it could race with a node inserting it.
 */
export const CLUSTER_SCHEMA = `
CREATE TABLE timer_claims (
  key        text PRIMARY KEY,
  last_fired timestamptz,
  node       text
);
`;
