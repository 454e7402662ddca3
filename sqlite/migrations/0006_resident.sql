-- SMS verification codes for residents' self-service (hashes only).
CREATE TABLE sms_codes (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	phone      TEXT NOT NULL,
	code_hash  TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	expires_at DATETIME NOT NULL,
	created_at DATETIME NOT NULL
);
CREATE INDEX sms_codes_phone ON sms_codes (phone, created_at);
