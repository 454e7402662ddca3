-- Deadlines: one row per stage clock of an appeal (全程监督). next_at is
-- when the sweeper must next look at the row; NULL when nothing is pending.
CREATE TABLE deadlines (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	appeal_id       BIGINT NOT NULL REFERENCES appeals (id),
	stage           TEXT NOT NULL,
	unit_id         TEXT NOT NULL,
	state           TEXT NOT NULL,
	start_at        TIMESTAMPTZ NOT NULL,
	warn_at         TIMESTAMPTZ NOT NULL,
	due_at          TIMESTAMPTZ NOT NULL,
	original_due_at TIMESTAMPTZ,
	next_at         TIMESTAMPTZ,
	escalations     INTEGER NOT NULL,
	done_at         TIMESTAMPTZ
);
CREATE INDEX deadlines_next ON deadlines (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX deadlines_appeal ON deadlines (appeal_id) WHERE state <> 'done';
CREATE INDEX deadlines_board ON deadlines (state, due_at) WHERE state <> 'done';
