package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"huying"
)

// consoleWhere selects the in-console rows of the outbox.
const consoleWhere = `channel = '` + huying.NoticeConsole + `'`

func (r runner) inboxItems(query string, args ...any) ([]huying.InboxDelivery, error) {
	rows, err := r.query(`SELECT id, recipient, template, payload, created_at, read_at FROM outbox WHERE `+query, args...)
	if err != nil {
		return nil, r.db.err("站内通知", err)
	}
	defer rows.Close()
	var out []huying.InboxDelivery
	for rows.Next() {
		var it huying.InboxItem
		var recipient, payload string
		var read sql.NullTime
		if err := rows.Scan(&it.ID, &recipient, &it.Kind, &payload, &it.CreatedAt, &read); err != nil {
			return nil, r.db.err("站内通知", err)
		}
		_ = json.Unmarshal([]byte(payload), &it.InboxPayload) // written by the workflow; a bad row shows empty
		it.CreatedAt, it.ReadAt = it.CreatedAt.UTC(), nullTime(read)
		user, _ := strconv.ParseInt(recipient, 10, 64)
		out = append(out, huying.InboxDelivery{UserID: user, Item: &it})
	}
	return out, r.db.err("站内通知", rows.Err())
}

// Inbox returns a user's newest in-console notices and the unread count.
func (db *DB) Inbox(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*huying.InboxItem, int, error) {
	r := db.reader(ctx)
	me := strconv.FormatInt(userID, 10)
	var unread int
	if err := r.queryRow(`SELECT COUNT(*) FROM outbox WHERE `+consoleWhere+` AND recipient = ? AND read_at IS NULL`, me).Scan(&unread); err != nil {
		return nil, 0, db.err("站内通知", err)
	}
	cond := consoleWhere + ` AND recipient = ?`
	if unreadOnly {
		cond += ` AND read_at IS NULL`
	}
	list, err := r.inboxItems(cond+` ORDER BY id DESC LIMIT ?`, me, min(max(limit, 1), 200))
	items := make([]*huying.InboxItem, 0, len(list))
	for _, d := range list {
		items = append(items, d.Item)
	}
	return items, unread, err
}

// MarkRead marks a user's notices read.
func (t *Tx) MarkRead(userID int64, ids []int64, at time.Time) (int, error) {
	if len(ids) > 1000 {
		return 0, huying.FieldErrorf("ids", "一次最多标记 1000 条通知")
	}
	args := []any{at.UTC(), strconv.FormatInt(userID, 10)}
	cond := ""
	if len(ids) > 0 {
		cond = ` AND id IN (` + strings.Repeat("?,", len(ids)-1) + `?)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	res, err := t.exec(`UPDATE outbox SET read_at = ? WHERE `+consoleWhere+` AND recipient = ? AND read_at IS NULL`+cond, args...)
	if err != nil {
		return 0, t.db.err("站内通知", err)
	}
	n, err := res.RowsAffected()
	return int(n), t.db.err("站内通知", err)
}

// InboxSince returns the in-console notices after afterID, oldest first.
func (db *DB) InboxSince(ctx context.Context, afterID int64, limit int) ([]huying.InboxDelivery, error) {
	return db.reader(ctx).inboxItems(consoleWhere+` AND id > ? ORDER BY id LIMIT ?`, afterID, min(max(limit, 1), 1000))
}

// Heads returns the newest event id and outbox id.
func (db *DB) Heads(ctx context.Context) (lastEvent, lastNotice int64, err error) {
	err = db.reader(ctx).queryRow(`SELECT (SELECT COALESCE(MAX(id), 0) FROM events), (SELECT COALESCE(MAX(id), 0) FROM outbox)`).
		Scan(&lastEvent, &lastNotice)
	return lastEvent, lastNotice, db.err("站内通知", err)
}
