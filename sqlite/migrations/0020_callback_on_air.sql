-- 回访未接通 (issue 12): the unanswered callbacks of the current round and
-- when the last was made, so that a retry waits its spacing and the last
-- one makes the appeal 无法联系.
ALTER TABLE appeals ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appeals ADD COLUMN callback_at DATETIME;

-- 《民心桥》 (issue 12): the broadcast date, the official who answered on
-- air and the answer, as JSON ('' when not set).
ALTER TABLE appeals ADD COLUMN on_air TEXT NOT NULL DEFAULT '';
