-- Every rating (回访评价) kept as data, first and final alike (issue 10): a
-- 不满意 sends the appeal to redo, and the rating that did so must still
-- count. seq is the rating's place among the appeal's ratings (1 = first);
-- redo marks the ones that sent it back. Backfilled from the rate events.
CREATE TABLE ratings (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	appeal_id     INTEGER NOT NULL REFERENCES appeals (id),
	seq           INTEGER NOT NULL,
	unit_id       TEXT NOT NULL,
	satisfaction  TEXT NOT NULL,
	speed         INTEGER NOT NULL,
	effect        INTEGER NOT NULL,
	experience    INTEGER NOT NULL,
	reply_quality INTEGER NOT NULL,
	redo          BOOLEAN NOT NULL,
	at            DATETIME NOT NULL,
	UNIQUE (appeal_id, seq)
);
CREATE INDEX ratings_at ON ratings (at);

INSERT INTO ratings (appeal_id, seq, unit_id, satisfaction, speed, effect, experience, reply_quality, redo, at)
SELECT e.appeal_id, ROW_NUMBER() OVER (PARTITION BY e.appeal_id ORDER BY e.seq),
	COALESCE((SELECT s.unit_id FROM assignments s WHERE s.appeal_id = e.appeal_id AND s.role = 'lead'), ''),
	COALESCE(json_extract(e.data, '$.rating.satisfaction'), ''),
	COALESCE(json_extract(e.data, '$.rating.speed'), 0), COALESCE(json_extract(e.data, '$.rating.effect'), 0),
	COALESCE(json_extract(e.data, '$.rating.experience'), 0), COALESCE(json_extract(e.data, '$.rating.reply_quality'), 0),
	e.to_status = 'dispatched', e.at
FROM events e WHERE e.kind = 'rate' AND e.appeal_id IS NOT NULL;
