package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"huying"
)

// TextIndex is a dialect's index of the appeals' text (code, title, content
// and address) for AppealFilter.Query: an FTS5 trigram table on SQLite, a
// GIN index of bigrams on PostgreSQL (docs/SEARCH.md says why not pg_trgm).
type TextIndex struct {
	// Match returns the condition on the appeals row that every word
	// appears in its text, and its arguments. Words are not empty and hold
	// no whitespace.
	Match func(words []string) (string, []any)
	// Write, if set, keeps an index the database does not keep by itself:
	// it indexes doc as the text of appeal id through exec, in the caller's
	// transaction; fresh says the appeal has no entry yet.
	Write func(exec func(query string, args ...any) error, id int64, doc string, fresh bool) error
	// From, if set, replaces "appeals" in the FROM clause of a search by
	// words (a join that lets the index hand out its matches one by one,
	// where an IN subquery would collect them all first), and Newest is
	// then the ORDER BY of the default order, newest first, in the
	// index's own order.
	From, Newest string
}

// SearchDoc is the text of an appeal that its words are searched in: the
// code, title, content and address, one a line.
func SearchDoc(code, title, content, address string) string {
	return code + "\n" + title + "\n" + content + "\n" + address
}

// PhoneKeyName is the row of store_secrets that holds the phone index key.
const PhoneKeyName = "phone_index"

// phoneKey returns the key of the phone index, read once through q.
//
// The key is kept in the database it indexes (store_secrets, made by
// migration 0017 from crypto/rand). The index exists so that a phone can be
// found without a second plain copy of it and without a hash anyone can
// reverse by hashing every number: with the key beside the data, a reader
// of the whole database learns nothing from the index that contact_phone
// does not already tell, and the key goes wherever the data goes (a backup,
// a copy, a second node), so the index never breaks for want of it.
func (db *DB) phoneKey(q runner) ([]byte, error) {
	db.keyMu.Lock()
	defer db.keyMu.Unlock()
	if db.key != nil {
		return db.key, nil
	}
	var key []byte
	if err := q.queryRow(`SELECT value FROM store_secrets WHERE name = ?`, PhoneKeyName).Scan(&key); err != nil {
		return nil, fmt.Errorf("phone index key: %w", err)
	}
	db.key = key
	return key, nil
}

// phoneHashes returns the index entries of a phone number: the keyed hash
// (HMAC-SHA256, 128 bits in hex) of its digits and of its last four, or ""
// for a number without digits.
func phoneHashes(key []byte, phone string) (full, tail string) {
	d := huying.PhoneDigits(phone)
	if d == "" {
		return "", ""
	}
	full = phoneMAC(key, "phone:"+d)
	if t := huying.PhoneTail(d); t != "" {
		tail = phoneMAC(key, "tail:"+t)
	}
	return full, tail
}

func phoneMAC(key []byte, s string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// codeWord is a word that is a whole tracking code (PS + date + number,
// perhaps with a part number): such a word is looked up by code.
var codeWord = regexp.MustCompile(`^[A-Za-z]{2,4}[0-9]{12,}(-[0-9]+)?$`)

// searchCond returns the conditions and arguments of f's search fields:
// the words of Query, the phone and the contact name, and whether the text
// index is asked (then the total is counted up to huying.MaxSearchTotal).
func (db *DB) searchCond(r runner, f huying.AppealFilter) ([]string, []any, bool, error) {
	var where []string
	var args []any
	var text []string
	for _, w := range huying.SearchWords(f.Query) {
		if codeWord.MatchString(w) {
			where, args = append(where, "code = ?"), append(args, strings.ToUpper(w))
			continue
		}
		text = append(text, w)
	}
	if len(text) > 0 {
		cond, a := db.Dialect.Search.Match(text)
		where, args = append(where, cond), append(args, a...)
	}
	if f.Phone != "" {
		key, err := db.phoneKey(r)
		if err != nil {
			return nil, nil, false, err
		}
		full, tail := phoneHashes(key, f.Phone)
		if len(huying.PhoneDigits(f.Phone)) == 4 {
			where, args = append(where, "phone_tail_hash = ?"), append(args, tail)
		} else {
			where, args = append(where, "phone_hash = ?"), append(args, full)
		}
	}
	if f.ContactName != "" {
		where, args = append(where, "contact_name = ?"), append(args, f.ContactName)
	}
	return where, args, len(text) > 0, nil
}

// indexText indexes the text of a inside the transaction, when the
// dialect keeps that index itself (the phone hashes are columns of the
// row, written with it).
func (t *Tx) indexText(a *huying.Appeal, fresh bool) error {
	w := t.db.Dialect.Search.Write
	if w == nil {
		return nil
	}
	exec := func(q string, args ...any) error { _, err := t.exec(q, args...); return err }
	return t.db.err("搜索索引", w(exec, a.ID, SearchDoc(a.Code, a.Title, a.Content, a.Address), fresh))
}

// backfillSearch is migration 0017_search's Go step: it makes the phone
// index key and indexes every appeal's phone, and its text where the
// dialect keeps that index itself.
func backfillSearch(ctx context.Context, tx *sql.Tx, d Dialect) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	rebind := func(s string) string {
		if d.Numbered {
			return Rebind(s)
		}
		return s
	}
	if _, err := tx.ExecContext(ctx, rebind(`INSERT INTO store_secrets (name, value) VALUES (?, ?)`), PhoneKeyName, key); err != nil {
		return err
	}
	return indexAppeals(ctx, tx, d, key, 0)
}

// IndexAfter writes the search entries of the appeals with an id above
// after, in one transaction: for rows written in SQL around the store (the
// load generators), which carry none.
func (db *DB) IndexAfter(ctx context.Context, after int64) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	key, err := db.phoneKey(runner{db: db, tx: tx, ctx: ctx})
	if err != nil {
		return err
	}
	if err := indexAppeals(ctx, tx, db.Dialect, key, after); err != nil {
		return err
	}
	return tx.Commit()
}

// indexAppeals writes the search entries (the phone hashes under key, and
// the text where the dialect keeps that index itself) of every appeal with
// an id above after, a thousand at a time, through tx.
func indexAppeals(ctx context.Context, tx *sql.Tx, d Dialect, key []byte, after int64) error {
	rebind := func(s string) string {
		if d.Numbered {
			return Rebind(s)
		}
		return s
	}
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, rebind(q), args...)
		return err
	}
	type row struct {
		id                         int64
		code, title, content, addr string
		phone                      string
	}
	for {
		rows, err := tx.QueryContext(ctx, rebind(`SELECT id, code, title, content, address, contact_phone FROM appeals
			WHERE id > ? ORDER BY id LIMIT 1000`), after)
		if err != nil {
			return err
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.code, &r.title, &r.content, &r.addr, &r.phone); err != nil {
				rows.Close()
				return err
			}
			page = append(page, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if d.Numbered {
			// One statement a page: PostgreSQL joins the values by hash.
			args := make([]any, 0, 3*len(page))
			for _, r := range page {
				full, tail := phoneHashes(key, r.phone)
				args = append(args, r.id, full, tail)
			}
			ph := "?" + d.Cast("bigint") + ",?" + d.Cast("text") + ",?" + d.Cast("text")
			if err := exec(`WITH v (id, full_hash, tail_hash) AS (VALUES `+values(len(page), ph)+`)
				UPDATE appeals SET phone_hash = v.full_hash, phone_tail_hash = v.tail_hash FROM v WHERE appeals.id = v.id`, args...); err != nil {
				return err
			}
		} else {
			// One statement a row: SQLite would scan appeals for the join.
			for _, r := range page {
				full, tail := phoneHashes(key, r.phone)
				if err := exec(`UPDATE appeals SET phone_hash = ?, phone_tail_hash = ? WHERE id = ?`, full, tail, r.id); err != nil {
					return err
				}
			}
		}
		if d.Search.Write != nil {
			for _, r := range page {
				if err := d.Search.Write(exec, r.id, SearchDoc(r.code, r.title, r.content, r.addr), true); err != nil {
					return err
				}
			}
		}
		after = page[len(page)-1].id
	}
}
