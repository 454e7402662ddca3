-- Who may download a file: the users who uploaded it, and whoever may see
-- an appeal that refers to it, as an intake attachment (appeal_attachments)
-- or in a supplement or reply (event_attachments, written with the event;
-- here filled from the events written before).
CREATE TABLE attachment_uploads (
	hash       TEXT NOT NULL REFERENCES attachments (hash),
	user_id    INTEGER NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (hash, user_id)
);

CREATE TABLE event_attachments (
	hash      TEXT NOT NULL REFERENCES attachments (hash),
	appeal_id INTEGER NOT NULL REFERENCES appeals (id),
	PRIMARY KEY (hash, appeal_id)
);

CREATE INDEX appeal_attachments_hash ON appeal_attachments (hash);

INSERT OR IGNORE INTO event_attachments (hash, appeal_id)
SELECT json_extract(j.value, '$.hash'), e.appeal_id
FROM events e, json_each(e.data, '$.attachments') j
WHERE e.appeal_id IS NOT NULL AND e.kind IN ('supplement', 'reply') AND e.data LIKE '%"attachments":[%'
	AND json_extract(j.value, '$.hash') IN (SELECT hash FROM attachments);
