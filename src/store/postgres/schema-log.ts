/**
 * PostgreSQL schema: the event log, its snapshots, Idempotency-Key records and the store's meta.
 *
 * `events.seq` has no sequence object: the appending transaction gives it, under the log's advisory
 * lock, so seq order is commit order and no number is skipped. Event data, snapshot states and
 * results are `json`, which keeps the text as written (jsonb would reorder an object's keys).
 */
export const LOG_SCHEMA = `
CREATE TABLE events (
  seq         bigint  PRIMARY KEY,
  stream      text    NOT NULL,
  version     integer NOT NULL,
  type        text    NOT NULL,
  v           integer NOT NULL,
  at          text    NOT NULL,
  recorded_at text    NOT NULL,
  incident_id text,
  data        json    NOT NULL,
  meta        json    NOT NULL,
  UNIQUE (stream, version)
);
CREATE INDEX events_by_incident ON events (incident_id, seq) WHERE incident_id IS NOT NULL;

CREATE TABLE snapshots (
  stream  text    PRIMARY KEY,
  -- The order streams got their first snapshot, which list() answers in; an update keeps it.
  ord     bigint  GENERATED ALWAYS AS IDENTITY,
  kind    text    NOT NULL,
  status  text,
  version integer NOT NULL,
  state   json    NOT NULL
);
CREATE INDEX snapshots_by_kind ON snapshots (kind, ord);
CREATE INDEX snapshots_by_kind_status ON snapshots (kind, status, ord);

CREATE TABLE idempotency (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  result      json NOT NULL,
  -- ISO 8601 in UTC from the store's clock: text order is time order.
  created_at  text NOT NULL
);
CREATE INDEX idempotency_by_created ON idempotency (created_at);

CREATE TABLE meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);

-- Snapshots are derived from the log: deleting any marks the projection stale, so the next open rebuilds it.
CREATE FUNCTION snapshots_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM meta WHERE key = 'projected_seq';
  RETURN NULL;
END;
$$;
CREATE TRIGGER snapshots_deleted AFTER DELETE ON snapshots FOR EACH STATEMENT EXECUTE FUNCTION snapshots_deleted();
CREATE TRIGGER snapshots_truncated AFTER TRUNCATE ON snapshots FOR EACH STATEMENT EXECUTE FUNCTION snapshots_deleted();
`;
