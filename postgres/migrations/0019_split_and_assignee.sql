-- 拆分 (issue 12): a part of a split appeal names the appeal it came from;
-- the parent closes when its last part closes, found by this index.
-- 指派处理人: the handler a unit named for its order, whose "my orders"
-- (assignee=me) list reads this index.
ALTER TABLE appeals ADD COLUMN parent_id BIGINT REFERENCES appeals (id);
ALTER TABLE appeals ADD COLUMN assignee_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX appeals_parent ON appeals (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX appeals_assignee ON appeals (assignee_id, due_at, id) WHERE assignee_id <> 0;
