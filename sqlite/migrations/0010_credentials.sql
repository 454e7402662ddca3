-- Credentials with a lifecycle (issue 9): principals have a kind (staff,
-- resident, channel), staff can be disabled and are throttled after failed
-- logins; API tokens carry scopes, an expiry, a revocation and their last
-- use, and act as their channel's own principal instead of a staff user;
-- /track hands out short-lived proofs that /track/rate requires.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'staff';
ALTER TABLE users ADD COLUMN disabled_at DATETIME;
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until DATETIME;
UPDATE users SET kind = 'resident' WHERE username LIKE 'resident-%' AND roles = 'resident';

ALTER TABLE api_tokens ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'intake,read,open311';
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;
ALTER TABLE api_tokens ADD COLUMN revoked_at DATETIME;
ALTER TABLE api_tokens ADD COLUMN last_used_at DATETIME;
ALTER TABLE api_tokens ADD COLUMN created_by BIGINT NOT NULL DEFAULT 0;

-- Every channel with a token gets its principal; its tokens act as it.
INSERT INTO users (username, name, unit_id, roles, password_hash, created_at, kind)
SELECT 'channel:' || t.channel, '渠道：' || t.channel,
	(SELECT id FROM units WHERE kind = 'centre' ORDER BY id LIMIT 1), '', '!', MIN(t.created_at), 'channel'
FROM api_tokens t
WHERE EXISTS (SELECT 1 FROM units WHERE kind = 'centre')
GROUP BY t.channel;
UPDATE api_tokens SET created_by = user_id,
	user_id = (SELECT u.id FROM users u WHERE u.username = 'channel:' || api_tokens.channel)
WHERE EXISTS (SELECT 1 FROM users u WHERE u.username = 'channel:' || api_tokens.channel);

CREATE TABLE track_proofs (
	hash       TEXT PRIMARY KEY,
	appeal_id  INTEGER NOT NULL REFERENCES appeals (id),
	expires_at DATETIME NOT NULL
);
CREATE INDEX track_proofs_expiry ON track_proofs (expires_at);
