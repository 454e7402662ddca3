-- The street and community an appeal was placed in at intake, for the
-- near-duplicate search and the map.
ALTER TABLE appeals ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE appeals ADD COLUMN community TEXT NOT NULL DEFAULT '';
CREATE INDEX appeals_community ON appeals (community, received_at);
