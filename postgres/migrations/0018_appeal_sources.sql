-- Appeals imported from another system (huying import appeals, issue 12):
-- each (source, source_id) once, so that importing a file again adds
-- nothing; closed_at keeps the other system's closing time.
CREATE TABLE appeal_sources (
	source      TEXT NOT NULL,
	source_id   TEXT NOT NULL,
	appeal_id   BIGINT NOT NULL REFERENCES appeals (id),
	closed_at   TIMESTAMPTZ,
	imported_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (source, source_id)
);
CREATE INDEX appeal_sources_appeal ON appeal_sources (appeal_id);
