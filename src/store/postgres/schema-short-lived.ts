/**
 * PostgreSQL schema: throttle counts and one-time secrets (postgres-short-lived.ts). The value is
 * JSON text, not jsonb, which refuses a \u0000 in a string; keys compare byte by byte (COLLATE "C"),
 * so that a prefix is a prefix whatever the database's locale.
 */
export const SHORT_LIVED_SCHEMA = `
CREATE TABLE short_lived (
  key        text COLLATE "C" PRIMARY KEY,
  value      text   NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX short_lived_by_expiry ON short_lived (expires_at);
`;
