-- Appeals imported from another system (huying import appeals, issue 12):
-- each (source, source_id) once, so that importing a file again adds
-- nothing; closed_at keeps the other system's closing time.
CREATE TABLE appeal_sources (
	source      TEXT NOT NULL,
	source_id   TEXT NOT NULL,
	appeal_id   INTEGER NOT NULL REFERENCES appeals (id),
	closed_at   DATETIME,
	imported_at DATETIME NOT NULL,
	PRIMARY KEY (source, source_id)
);
CREATE INDEX appeal_sources_appeal ON appeal_sources (appeal_id);
