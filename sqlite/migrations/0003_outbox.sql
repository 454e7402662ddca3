-- The notification outbox, written in the same transaction as the event
-- that causes each notice; webhook subscribers; staff phone numbers for
-- the notices units and supervisors receive.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	event_id   INTEGER NOT NULL REFERENCES events (id),
	channel    TEXT NOT NULL,
	recipient  TEXT NOT NULL,
	template   TEXT NOT NULL,
	payload    TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	next_at    DATETIME,
	sent_at    DATETIME,
	last_error TEXT NOT NULL,
	created_at DATETIME NOT NULL,
	UNIQUE (event_id, channel, recipient)
);
CREATE INDEX outbox_next ON outbox (next_at) WHERE next_at IS NOT NULL;

CREATE TABLE webhooks (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	url        TEXT NOT NULL,
	secret     TEXT NOT NULL,
	created_at DATETIME NOT NULL
);

ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
