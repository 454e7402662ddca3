-- Units, users and sessions, appeals with their assignments and attachments,
-- the hash-chained event log, and named counters (tracking codes).
CREATE TABLE units (
	id        TEXT PRIMARY KEY,
	parent_id TEXT NOT NULL DEFAULT '',
	name      TEXT NOT NULL,
	kind      TEXT NOT NULL
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	unit_id       TEXT NOT NULL REFERENCES units (id),
	roles         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    DATETIME NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	expires_at DATETIME NOT NULL
);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	channel    TEXT NOT NULL,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	token_hash TEXT NOT NULL UNIQUE,
	created_at DATETIME NOT NULL
);

CREATE TABLE appeals (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	code            TEXT NOT NULL UNIQUE,
	type            TEXT NOT NULL,
	urgency         TEXT NOT NULL,
	channel         TEXT NOT NULL,
	title           TEXT NOT NULL,
	content         TEXT NOT NULL,
	address         TEXT NOT NULL,
	lng             REAL,
	lat             REAL,
	contact_name    TEXT NOT NULL,
	contact_phone   TEXT NOT NULL,
	confidential    BOOLEAN NOT NULL,
	status          TEXT NOT NULL,
	version         INTEGER NOT NULL,
	designated      BOOLEAN NOT NULL,
	redo_count      INTEGER NOT NULL,
	merged_into     INTEGER REFERENCES appeals (id),
	result_class    TEXT NOT NULL,
	rating          TEXT,
	created_by      INTEGER NOT NULL,
	received_at     DATETIME NOT NULL,
	updated_at      DATETIME NOT NULL,
	contacted_at    DATETIME,
	due_at          DATETIME,
	original_due_at DATETIME,
	idempotency_key TEXT UNIQUE
);
CREATE INDEX appeals_status ON appeals (status);
CREATE INDEX appeals_received_at ON appeals (received_at);

CREATE TABLE assignments (
	appeal_id INTEGER NOT NULL REFERENCES appeals (id),
	unit_id   TEXT NOT NULL REFERENCES units (id),
	role      TEXT NOT NULL,
	position  INTEGER NOT NULL,
	PRIMARY KEY (appeal_id, unit_id)
);
CREATE INDEX assignments_unit ON assignments (unit_id, appeal_id);

CREATE TABLE attachments (
	hash         TEXT PRIMARY KEY,
	size         INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	created_at   DATETIME NOT NULL
);

CREATE TABLE appeal_attachments (
	appeal_id INTEGER NOT NULL REFERENCES appeals (id),
	hash      TEXT NOT NULL REFERENCES attachments (hash),
	name      TEXT NOT NULL,
	position  INTEGER NOT NULL,
	PRIMARY KEY (appeal_id, position)
);

CREATE TABLE events (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	chain       TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	appeal_id   INTEGER REFERENCES appeals (id),
	kind        TEXT NOT NULL,
	actor_id    INTEGER NOT NULL,
	actor       TEXT NOT NULL,
	unit_id     TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	note        TEXT NOT NULL,
	data        TEXT NOT NULL,
	at          DATETIME NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL,
	UNIQUE (chain, seq)
);

-- Events are append-only: the database refuses to change or delete them.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
