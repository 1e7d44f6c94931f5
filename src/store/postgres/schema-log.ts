/** PostgreSQL schema: (events, snapshots, idempotency, meta). */
export const LOG_SCHEMA = `
`;
