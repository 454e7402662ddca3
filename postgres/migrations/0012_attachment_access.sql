-- Who may download a file: the users who uploaded it, and whoever may see
-- an appeal that refers to it, as an intake attachment (appeal_attachments)
-- or in a supplement or reply (event_attachments, written with the event;
-- here filled from the events written before).
CREATE TABLE attachment_uploads (
	hash       TEXT NOT NULL REFERENCES attachments (hash),
	user_id    BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (hash, user_id)
);

CREATE TABLE event_attachments (
	hash      TEXT NOT NULL REFERENCES attachments (hash),
	appeal_id BIGINT NOT NULL REFERENCES appeals (id),
	PRIMARY KEY (hash, appeal_id)
);

CREATE INDEX appeal_attachments_hash ON appeal_attachments (hash);

INSERT INTO event_attachments (hash, appeal_id)
SELECT DISTINCT x ->> 'hash', e.appeal_id
FROM events e
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.data::jsonb -> 'attachments') = 'array'
	THEN e.data::jsonb -> 'attachments' ELSE '[]'::jsonb END) AS x
WHERE e.appeal_id IS NOT NULL AND e.kind IN ('supplement', 'reply') AND e.data LIKE '%"attachments":[%'
	AND x ->> 'hash' IN (SELECT hash FROM attachments)
ON CONFLICT DO NOTHING;
