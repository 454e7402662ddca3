-- Search (issue 12, item 4): the phone index, the contact name, the street
-- filter and the text index. Migration 0017's Go step (sqlstore
-- backfillSearch) makes the phone index key and indexes every appeal.
--
-- store_secrets holds keys the store itself uses; phone_index is the HMAC
-- key of phone_hash (the digits of the number) and phone_tail_hash (its
-- last four), see sqlstore.phoneKey.
CREATE TABLE store_secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
ALTER TABLE appeals ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE appeals ADD COLUMN phone_tail_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX appeals_phone ON appeals (phone_hash);
CREATE INDEX appeals_phone_tail ON appeals (phone_tail_hash);
CREATE INDEX appeals_contact_name ON appeals (contact_name);
CREATE INDEX appeals_street ON appeals (street, received_at);
-- The code, title, content and address of each appeal, spread with a
-- separator so that trigrams find words of one and two characters (see
-- sqlite/search.go); contentless, with deletes, as the store rewrites an
-- appeal's entry when its text changes.
CREATE VIRTUAL TABLE appeals_fts USING fts5 (doc, tokenize = 'trigram', content = '', contentless_delete = 1);
