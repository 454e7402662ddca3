-- Residents who asked to be told of every step of an appeal (订阅办理进度).
CREATE TABLE subscriptions (
	appeal_id  INTEGER NOT NULL REFERENCES appeals (id),
	phone      TEXT NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (appeal_id, phone)
);
