-- Audit (issue 10 §5). chain_heads is the end of every event chain, written
-- in the transaction of each append, so that deleting a chain's last event,
-- or an appeal with all its events, leaves a head the events no longer
-- reach; state is the digest of the appeal row as that transaction left it
-- (huying.AppealState, filled for existing chains by the Go step of this
-- migration), so that an appeals row edited by hand no longer matches.
-- Heads only move forward.
CREATE TABLE chain_heads (
	chain TEXT PRIMARY KEY,
	seq   BIGINT NOT NULL,
	hash  TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT ''
);

INSERT INTO chain_heads (chain, seq, hash)
SELECT e.chain, e.seq, e.hash FROM events e
WHERE e.seq = (SELECT MAX(m.seq) FROM events m WHERE m.chain = e.chain);

CREATE FUNCTION chain_heads_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
		RAISE EXCEPTION 'chain heads only move forward';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER chain_heads_forward BEFORE UPDATE OR DELETE ON chain_heads
FOR EACH ROW EXECUTE FUNCTION chain_heads_forward();

-- Signed checkpoints: root is a hash over every chain head, mac an
-- HMAC-SHA256 with a key kept outside the database. audit_checkpoint_heads
-- holds the heads of the latest checkpoint, one row per chain (checkpoint_id
-- says which checkpoint last moved it), so that a chain recomputed after it
-- no longer matches what was signed.
CREATE TABLE audit_checkpoints (
	id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at     TIMESTAMPTZ NOT NULL,
	root   TEXT NOT NULL,
	heads  INTEGER NOT NULL,
	events BIGINT NOT NULL,
	mac    TEXT NOT NULL
);

CREATE TABLE audit_checkpoint_heads (
	chain         TEXT PRIMARY KEY,
	seq           BIGINT NOT NULL,
	hash          TEXT NOT NULL,
	state         TEXT NOT NULL,
	checkpoint_id BIGINT NOT NULL
);
