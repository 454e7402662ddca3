-- Webhook subscribers can be disabled by an admin or suspended after
-- repeated delivery failures (issue 9); the reason says which.
ALTER TABLE webhooks ADD COLUMN disabled_at DATETIME;
ALTER TABLE webhooks ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
