-- Audit (issue 10 §5). chain_heads is the end of every event chain, written
-- in the transaction of each append, so that deleting a chain's last event,
-- or an appeal with all its events, leaves a head the events no longer
-- reach; state is the digest of the appeal row as that transaction left it
-- (huying.AppealState, filled for existing chains by the Go step of this
-- migration), so that an appeals row edited by hand no longer matches.
-- Heads only move forward.
CREATE TABLE chain_heads (
	chain TEXT PRIMARY KEY,
	seq   INTEGER NOT NULL,
	hash  TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT ''
);

INSERT INTO chain_heads (chain, seq, hash)
SELECT e.chain, e.seq, e.hash FROM events e
WHERE e.seq = (SELECT MAX(m.seq) FROM events m WHERE m.chain = e.chain);

CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
BEGIN SELECT RAISE(ABORT, 'chain heads only move forward'); END;
CREATE TRIGGER chain_heads_forward BEFORE UPDATE ON chain_heads WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'chain heads only move forward'); END;

-- Signed checkpoints: root is a hash over every chain head, mac an
-- HMAC-SHA256 with a key kept outside the database. audit_checkpoint_heads
-- holds the heads of the latest checkpoint, one row per chain (checkpoint_id
-- says which checkpoint last moved it), so that a chain recomputed after it
-- no longer matches what was signed.
CREATE TABLE audit_checkpoints (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	at     DATETIME NOT NULL,
	root   TEXT NOT NULL,
	heads  INTEGER NOT NULL,
	events INTEGER NOT NULL,
	mac    TEXT NOT NULL
);

CREATE TABLE audit_checkpoint_heads (
	chain         TEXT PRIMARY KEY,
	seq           INTEGER NOT NULL,
	hash          TEXT NOT NULL,
	state         TEXT NOT NULL,
	checkpoint_id INTEGER NOT NULL
);
