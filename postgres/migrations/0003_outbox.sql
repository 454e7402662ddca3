-- The notification outbox, written in the same transaction as the event
-- that causes each notice; webhook subscribers; staff phone numbers for
-- the notices units and supervisors receive.
CREATE TABLE outbox (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id   BIGINT NOT NULL REFERENCES events (id),
	channel    TEXT NOT NULL,
	recipient  TEXT NOT NULL,
	template   TEXT NOT NULL,
	payload    TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	next_at    TIMESTAMPTZ,
	sent_at    TIMESTAMPTZ,
	last_error TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (event_id, channel, recipient)
);
CREATE INDEX outbox_next ON outbox (next_at) WHERE next_at IS NOT NULL;

CREATE TABLE webhooks (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	url        TEXT NOT NULL,
	secret     TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
