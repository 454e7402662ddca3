-- Search (issue 12, item 4): the phone index, the contact name, the street
-- filter and the text index. Migration 0017's Go step (sqlstore
-- backfillSearch) makes the phone index key and indexes every phone.
--
-- store_secrets holds keys the store itself uses; phone_index is the HMAC
-- key of phone_hash (the digits of the number) and phone_tail_hash (its
-- last four), see sqlstore.phoneKey.
CREATE TABLE store_secrets (
	name  TEXT PRIMARY KEY,
	value BYTEA NOT NULL
);
ALTER TABLE appeals ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE appeals ADD COLUMN phone_tail_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX appeals_phone ON appeals (phone_hash);
CREATE INDEX appeals_phone_tail ON appeals (phone_tail_hash);
CREATE INDEX appeals_contact_name ON appeals (contact_name);
CREATE INDEX appeals_street ON appeals (street, received_at);
-- The text index: the distinct pairs of characters of the code, title,
-- content and address (lower-cased), in a GIN index the database keeps in
-- step with every write. pg_trgm would be the usual choice, but it makes
-- trigrams of "word" characters only, and in a database whose LC_CTYPE is
-- C (initdb --no-locale, as the tests run) no Chinese character is one:
-- show_trgm('饭店油烟扰民') is {}. Pairs also find the two-character words
-- most Chinese searches are (油烟, 噪音), which no trigram index can.
-- See postgres/search.go for the query.
CREATE FUNCTION huying_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i) $$;
CREATE INDEX appeals_text ON appeals USING gin (huying_bigrams(lower(code || ' ' || title || ' ' || content || ' ' || address)));
