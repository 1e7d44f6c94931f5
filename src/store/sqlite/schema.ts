/** The SQLite schema. Tables are created if missing; the log table is never altered in place. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  stream      TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  v           INTEGER NOT NULL,
  at          TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  incident_id TEXT,
  data        TEXT    NOT NULL,
  meta        TEXT,
  UNIQUE (stream, version)
);
CREATE INDEX IF NOT EXISTS events_by_incident ON events (incident_id) WHERE incident_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS snapshots (
  stream  TEXT PRIMARY KEY,
  kind    TEXT NOT NULL,
  status  TEXT,
  version INTEGER NOT NULL,
  state   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_by_kind_status ON snapshots (kind, status);
CREATE TABLE IF NOT EXISTS idempotency (
  key         TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  result      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
-- Expired keys are deleted by age.
CREATE INDEX IF NOT EXISTS idempotency_by_created ON idempotency (created_at);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Throttle counts and one-time secrets (sqlite-short-lived.ts): JSON under a key until expires_at (epoch ms).
CREATE TABLE IF NOT EXISTS short_lived (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS short_lived_by_expiry ON short_lived (expires_at);
-- Snapshots are derived from the log: deleting any marks the projection stale, so the next open rebuilds it.
CREATE TRIGGER IF NOT EXISTS snapshots_deleted AFTER DELETE ON snapshots
BEGIN
  DELETE FROM meta WHERE key = 'projected_seq';
END;
`;
