import { CLUSTER_SCHEMA } from './schema-cluster.ts';
import { LOG_SCHEMA } from './schema-log.ts';
import { SHORT_LIVED_SCHEMA } from './schema-short-lived.ts';
import { TABLES_SCHEMA } from './schema-tables.ts';

/** The versioned migrations, applied in order; a published one is never edited, only followed by another. */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  { version: 1, name: 'event log', sql: LOG_SCHEMA },
  { version: 2, name: 'tables beside the log', sql: TABLES_SCHEMA },
  { version: 3, name: 'short-lived records', sql: SHORT_LIVED_SCHEMA },
  { version: 4, name: 'cluster', sql: CLUSTER_SCHEMA },
];
