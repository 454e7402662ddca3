-- Versioned dispatch catalogue (派单目录), and each appeal's category and
-- triage (classifier and routing suggestions) for dispatchers and retraining.
CREATE TABLE catalogues (
	version    INTEGER PRIMARY KEY,
	body       TEXT NOT NULL,
	created_by INTEGER NOT NULL,
	created_at DATETIME NOT NULL
);

ALTER TABLE appeals ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE appeals ADD COLUMN triage TEXT NOT NULL DEFAULT '';
