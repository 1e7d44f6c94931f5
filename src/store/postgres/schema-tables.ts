/** PostgreSQL schema: (accounts, profiles, AEDs, the delivery queue). */
export const TABLES_SCHEMA = `
`;
