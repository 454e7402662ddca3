-- The appeals merged into one (并入), found when it is replied and reviewed
-- so that their residents hear the outcome and can rate it (issue 10).
CREATE INDEX appeals_merged_into ON appeals (merged_into) WHERE merged_into IS NOT NULL;

-- A file a supplement (补充) or reply (答复) added is shown on the appeal
-- with its name and which of the two added it (issue 10); rows written
-- before keep an empty name and kind.
ALTER TABLE event_attachments ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE event_attachments ADD COLUMN kind TEXT NOT NULL DEFAULT '';
