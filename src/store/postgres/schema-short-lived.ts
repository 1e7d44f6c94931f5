/** PostgreSQL schema: (throttles and one-time secrets). */
export const SHORT_LIVED_SCHEMA = `
`;
