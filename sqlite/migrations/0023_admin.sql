-- Administration: units are edited, moved and disabled with a version
-- for compare-and-set; holiday arrangements imported through the API;
-- versions of the SLA table (时限配置), each applying to appeals received
-- from its effective time on.
ALTER TABLE units ADD COLUMN disabled_at DATETIME;
ALTER TABLE units ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE calendar_years (
	year        INTEGER PRIMARY KEY,
	data        TEXT NOT NULL,
	imported_at DATETIME NOT NULL,
	imported_by TEXT NOT NULL
);

CREATE TABLE sla_versions (
	version      INTEGER PRIMARY KEY,
	data         TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	effective_at DATETIME NOT NULL,
	created_by   TEXT NOT NULL
);
