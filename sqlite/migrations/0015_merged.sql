-- The appeals merged into one (并入), found when it is replied and reviewed
-- so that their residents hear the outcome and can rate it (issue 10).
CREATE INDEX appeals_merged_into ON appeals (merged_into) WHERE merged_into IS NOT NULL;
