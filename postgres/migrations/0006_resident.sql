-- SMS verification codes for residents' self-service (hashes only).
CREATE TABLE sms_codes (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	phone      TEXT NOT NULL,
	code_hash  TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sms_codes_phone ON sms_codes (phone, created_at);
