-- Units, users and sessions, appeals with their assignments and attachments,
-- the hash-chained event log, and named counters (tracking codes).
CREATE TABLE units (
	id        TEXT PRIMARY KEY,
	parent_id TEXT NOT NULL DEFAULT '',
	name      TEXT NOT NULL,
	kind      TEXT NOT NULL
);

CREATE TABLE users (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	unit_id       TEXT NOT NULL REFERENCES units (id),
	roles         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       TEXT NOT NULL,
	channel    TEXT NOT NULL,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE appeals (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code            TEXT NOT NULL UNIQUE,
	type            TEXT NOT NULL,
	urgency         TEXT NOT NULL,
	channel         TEXT NOT NULL,
	title           TEXT NOT NULL,
	content         TEXT NOT NULL,
	address         TEXT NOT NULL,
	lng             DOUBLE PRECISION,
	lat             DOUBLE PRECISION,
	contact_name    TEXT NOT NULL,
	contact_phone   TEXT NOT NULL,
	confidential    BOOLEAN NOT NULL,
	status          TEXT NOT NULL,
	version         INTEGER NOT NULL,
	designated      BOOLEAN NOT NULL,
	redo_count      INTEGER NOT NULL,
	merged_into     BIGINT REFERENCES appeals (id),
	result_class    TEXT NOT NULL,
	rating          TEXT,
	created_by      BIGINT NOT NULL,
	received_at     TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	contacted_at    TIMESTAMPTZ,
	due_at          TIMESTAMPTZ,
	original_due_at TIMESTAMPTZ,
	idempotency_key TEXT UNIQUE
);
CREATE INDEX appeals_status ON appeals (status);
CREATE INDEX appeals_received_at ON appeals (received_at);

CREATE TABLE assignments (
	appeal_id BIGINT NOT NULL REFERENCES appeals (id),
	unit_id   TEXT NOT NULL REFERENCES units (id),
	role      TEXT NOT NULL,
	position  INTEGER NOT NULL,
	PRIMARY KEY (appeal_id, unit_id)
);
CREATE INDEX assignments_unit ON assignments (unit_id, appeal_id);

CREATE TABLE attachments (
	hash         TEXT PRIMARY KEY,
	size         BIGINT NOT NULL,
	content_type TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE appeal_attachments (
	appeal_id BIGINT NOT NULL REFERENCES appeals (id),
	hash      TEXT NOT NULL REFERENCES attachments (hash),
	name      TEXT NOT NULL,
	position  INTEGER NOT NULL,
	PRIMARY KEY (appeal_id, position)
);

CREATE TABLE events (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	chain       TEXT NOT NULL,
	seq         BIGINT NOT NULL,
	appeal_id   BIGINT REFERENCES appeals (id),
	kind        TEXT NOT NULL,
	actor_id    BIGINT NOT NULL,
	actor       TEXT NOT NULL,
	unit_id     TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	note        TEXT NOT NULL,
	data        TEXT NOT NULL,
	at          TIMESTAMPTZ NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL,
	UNIQUE (chain, seq)
);

-- Events are append-only: the database refuses to change or delete them.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'events are append-only'; END $$;
CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
