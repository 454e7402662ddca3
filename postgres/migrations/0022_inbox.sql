-- In-console notices (站内通知) live in the outbox with channel 'console'
-- and the recipient user's id; read_at is set when the user reads one.
ALTER TABLE outbox ADD COLUMN read_at TIMESTAMPTZ;
CREATE INDEX outbox_console ON outbox (recipient, id) WHERE channel = 'console';
