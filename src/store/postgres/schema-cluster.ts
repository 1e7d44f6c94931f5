/** PostgreSQL schema: (timer claims). */
export const CLUSTER_SCHEMA = `
`;
