-- 挂牌督办 (flags with progress) and 吹哨报到 (whistles and the departments
-- each one summons).
CREATE TABLE flags (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	appeal_id        BIGINT NOT NULL REFERENCES appeals (id),
	title            TEXT NOT NULL,
	reason           TEXT NOT NULL,
	supervising_unit TEXT NOT NULL REFERENCES units (id),
	due_at           TIMESTAMPTZ NOT NULL,
	public           BOOLEAN NOT NULL,
	created_by       BIGINT NOT NULL,
	created_at       TIMESTAMPTZ NOT NULL,
	closed_at        TIMESTAMPTZ,
	closed_note      TEXT NOT NULL
);
CREATE INDEX flags_appeal ON flags (appeal_id);

CREATE TABLE flag_progress (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	flag_id    BIGINT NOT NULL REFERENCES flags (id),
	note       TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	author     TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX flag_progress_flag ON flag_progress (flag_id);

CREATE TABLE whistles (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	appeal_id  BIGINT NOT NULL REFERENCES appeals (id),
	unit_id    TEXT NOT NULL REFERENCES units (id),
	reason     TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX whistles_appeal ON whistles (appeal_id);

CREATE TABLE whistle_calls (
	whistle_id  BIGINT NOT NULL REFERENCES whistles (id),
	unit_id     TEXT NOT NULL REFERENCES units (id),
	due_at      TIMESTAMPTZ NOT NULL,
	reported_at TIMESTAMPTZ,
	rating      INTEGER NOT NULL,
	rating_note TEXT NOT NULL,
	rated_at    TIMESTAMPTZ,
	PRIMARY KEY (whistle_id, unit_id)
);
