-- The knowledge base (知识库) for direct answers, and the record of every
-- direct answer (直接答复), from an article or not, for 直接答复率.
CREATE TABLE articles (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	question   TEXT NOT NULL,
	answer     TEXT NOT NULL,
	category   TEXT NOT NULL,
	unit_id    TEXT NOT NULL REFERENCES units (id),
	keywords   TEXT NOT NULL, -- separated by U+001F
	valid_from TIMESTAMPTZ NOT NULL,
	valid_to   TIMESTAMPTZ,
	uses       INTEGER NOT NULL DEFAULT 0,
	version    INTEGER NOT NULL,
	created_by BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX articles_unit ON articles (unit_id);

CREATE TABLE direct_answers (
	appeal_id  BIGINT PRIMARY KEY REFERENCES appeals (id),
	article_id BIGINT REFERENCES articles (id),
	at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX direct_answers_article ON direct_answers (article_id);

INSERT INTO direct_answers (appeal_id, at)
	SELECT appeal_id, MIN(at) FROM events WHERE kind = 'answer' AND appeal_id IS NOT NULL GROUP BY appeal_id;
