-- Deadlines: one row per stage clock of an appeal (全程监督). next_at is
-- when the sweeper must next look at the row; NULL when nothing is pending.
CREATE TABLE deadlines (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	appeal_id       INTEGER NOT NULL REFERENCES appeals (id),
	stage           TEXT NOT NULL,
	unit_id         TEXT NOT NULL,
	state           TEXT NOT NULL,
	start_at        DATETIME NOT NULL,
	warn_at         DATETIME NOT NULL,
	due_at          DATETIME NOT NULL,
	original_due_at DATETIME,
	next_at         DATETIME,
	escalations     INTEGER NOT NULL,
	done_at         DATETIME
);
CREATE INDEX deadlines_next ON deadlines (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX deadlines_appeal ON deadlines (appeal_id) WHERE state <> 'done';
CREATE INDEX deadlines_board ON deadlines (state, due_at) WHERE state <> 'done';
