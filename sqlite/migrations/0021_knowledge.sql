-- The knowledge base (知识库) for direct answers, and the record of every
-- direct answer (直接答复), from an article or not, for 直接答复率.
CREATE TABLE articles (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	question   TEXT NOT NULL,
	answer     TEXT NOT NULL,
	category   TEXT NOT NULL,
	unit_id    TEXT NOT NULL REFERENCES units (id),
	keywords   TEXT NOT NULL, -- separated by U+001F
	valid_from DATETIME NOT NULL,
	valid_to   DATETIME,
	uses       INTEGER NOT NULL DEFAULT 0,
	version    INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);
CREATE INDEX articles_unit ON articles (unit_id);

CREATE TABLE direct_answers (
	appeal_id  INTEGER PRIMARY KEY REFERENCES appeals (id),
	article_id INTEGER REFERENCES articles (id),
	at         DATETIME NOT NULL
);
CREATE INDEX direct_answers_article ON direct_answers (article_id);

INSERT INTO direct_answers (appeal_id, at)
	SELECT appeal_id, MIN(at) FROM events WHERE kind = 'answer' AND appeal_id IS NOT NULL GROUP BY appeal_id;
