-- The channel registry (受理渠道), with the district's default channels.
CREATE TABLE channels (
	name            TEXT PRIMARY KEY,
	kind            TEXT NOT NULL,
	rate_per_minute INTEGER NOT NULL,
	default_type    TEXT NOT NULL,
	default_urgency TEXT NOT NULL,
	publish         BOOLEAN NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL
);
INSERT INTO channels (name, kind, rate_per_minute, default_type, default_urgency, publish, created_at) VALUES
	('12345热线', 'phone', 0, '', '一般', false, CURRENT_TIMESTAMP),
	('网站', 'web', 0, '', '一般', false, CURRENT_TIMESTAMP),
	('移动端', 'mobile', 0, '', '一般', false, CURRENT_TIMESTAMP),
	('小程序', 'miniapp', 0, '', '一般', false, CURRENT_TIMESTAMP),
	('Open311', 'open311', 0, '', '一般', false, CURRENT_TIMESTAMP),
	('民心桥', 'radio', 0, '', '一般', true, CURRENT_TIMESTAMP),
	('信箱', 'mail', 0, '', '一般', false, CURRENT_TIMESTAMP),
	('网格上报', 'grid', 0, '求助', '一般', false, CURRENT_TIMESTAMP),
	('党员随手拍', 'party', 0, '建议', '一般', false, CURRENT_TIMESTAMP),
	('部门系统', 'department', 0, '', '一般', false, CURRENT_TIMESTAMP);
