/**
 * PostgreSQL schema: the tables beside the log (accounts, personal data, AEDs, the delivery queue,
 * its receipts, the alert-position audit, followers' cursors). Epoch-ms columns are BIGINT; JSON
 * that must read back byte for byte is TEXT. ISO-8601 instants are TEXT compared as text, so they
 * take the "C" collation: a locale's collation may weigh '-', ':' and '.' differently.
 * `n` columns keep insertion order for ties, as SQLite's rowid does.
 */
export const TABLES_SCHEMA = `
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    TEXT COLLATE "C" NOT NULL,
  disabled_at   TEXT COLLATE "C",
  n             BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE TABLE credentials (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL,
  scopes      TEXT NOT NULL,
  subject     TEXT,
  hash        TEXT NOT NULL,
  csrf        TEXT,
  created_at  TEXT COLLATE "C" NOT NULL,
  expires_at  TEXT COLLATE "C",
  revoked_at  TEXT COLLATE "C",
  n           BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX credentials_by_kind ON credentials (kind, created_at, n);
-- Asked before every alert is sent: the volunteer's devices without a scan of every token.
CREATE INDEX credentials_device_subject ON credentials (subject) WHERE kind = 'device';

CREATE TABLE volunteer_profiles (
  volunteer_id TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  phone        TEXT NOT NULL,
  languages    TEXT NOT NULL,
  devices      TEXT NOT NULL,
  synthetic    BOOLEAN NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE TABLE volunteer_demo_population (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  seed       BIGINT NOT NULL,
  count      INTEGER NOT NULL,
  available  INTEGER NOT NULL,
  residents  INTEGER NOT NULL,
  loaded_at  TEXT NOT NULL
);

CREATE TABLE aeds (
  id         TEXT PRIMARY KEY,
  record     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE alert_outbox (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seq          BIGINT  NOT NULL,
  kind         TEXT    NOT NULL,
  incident_id  TEXT    NOT NULL,
  volunteer_id TEXT    NOT NULL,
  alert_id     TEXT    NOT NULL,
  payload      TEXT,
  state        TEXT    NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  due_at       BIGINT  NOT NULL,
  created_at   BIGINT  NOT NULL,
  done_at      BIGINT,
  channels     TEXT,
  last_error   TEXT,
  UNIQUE (seq, volunteer_id)
);
CREATE INDEX alert_outbox_pending ON alert_outbox (due_at) WHERE state = 'pending';
CREATE INDEX alert_outbox_by_alert ON alert_outbox (alert_id);
CREATE INDEX alert_outbox_by_volunteer ON alert_outbox (volunteer_id);
-- The queue's cursor ('cursor') and each follower's ('follower:<name>').
CREATE TABLE alert_delivery_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE alert_receipts (
  alert_id      TEXT NOT NULL,
  message       TEXT NOT NULL,
  incident_id   TEXT NOT NULL,
  volunteer_id  TEXT NOT NULL,
  sent_at       TEXT,
  sent_via      TEXT,
  delivered_at  TEXT,
  delivered_via TEXT,
  seen_at       TEXT,
  suppressed    TEXT,
  n             BIGINT GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (alert_id, message)
);
CREATE INDEX alert_receipts_by_incident ON alert_receipts (incident_id);
CREATE TABLE alert_position_audit (
  alert_id     TEXT PRIMARY KEY,
  incident_id  TEXT NOT NULL,
  volunteer_id TEXT,
  lat          DOUBLE PRECISION,
  lon          DOUBLE PRECISION,
  fix_at       TEXT,
  distance_m   DOUBLE PRECISION,
  alerted_at   TEXT NOT NULL,
  purge_after  BIGINT NOT NULL
);
CREATE INDEX alert_position_audit_purge ON alert_position_audit (purge_after);
CREATE INDEX alert_position_audit_volunteer ON alert_position_audit (volunteer_id);
`;
