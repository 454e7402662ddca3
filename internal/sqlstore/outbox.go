package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"huying"
)

const noticeColumns = `id, event_id, channel, recipient, template, payload, attempts, next_at, sent_at, last_error, created_at`

func scanNotice(s scanner) (*huying.Notice, error) {
	var n huying.Notice
	var next, sent sql.NullTime
	if err := s.Scan(&n.ID, &n.EventID, &n.Channel, &n.Recipient, &n.Template, &n.Payload, &n.Attempts,
		&next, &sent, &n.LastError, &n.CreatedAt); err != nil {
		return nil, err
	}
	n.NextAt, n.SentAt, n.CreatedAt = nullTime(next), nullTime(sent), n.CreatedAt.UTC()
	return &n, nil
}

// CreateWebhook adds a webhook subscriber.
func (t *Tx) CreateWebhook(w *huying.Webhook) error {
	err := t.queryRow(`INSERT INTO webhooks (url, secret, created_at) VALUES (?,?,?) RETURNING id`,
		w.URL, w.Secret, w.CreatedAt.UTC()).Scan(&w.ID)
	return t.db.err("订阅", err)
}

// SetWebhookDisabled disables or enables a subscriber.
func (t *Tx) SetWebhookDisabled(id int64, at *time.Time, reason string) error {
	res, err := t.exec(`UPDATE webhooks SET disabled_at = ?, disabled_reason = ? WHERE id = ?`, timeArg(at), reason, id)
	if err := t.db.cas(res, err, 1, "订阅", "订阅不存在"); huying.ErrorCode(err) == huying.ECONFLICT {
		return huying.Errorf(huying.ENOTFOUND, "订阅不存在")
	} else if err != nil {
		return err
	}
	return nil
}

// DeleteWebhook removes a subscriber.
func (t *Tx) DeleteWebhook(id int64) error {
	res, err := t.exec(`DELETE FROM webhooks WHERE id = ?`, id)
	if err := t.db.cas(res, err, 1, "订阅", "订阅不存在"); huying.ErrorCode(err) == huying.ECONFLICT {
		return huying.Errorf(huying.ENOTFOUND, "订阅不存在")
	} else if err != nil {
		return err
	}
	return nil
}

// SuspendWebhook disables a failing subscriber unless it is disabled already.
func (db *DB) SuspendWebhook(ctx context.Context, id int64, at time.Time) error {
	return db.Update(ctx, func(tx huying.Tx) error {
		_, err := tx.(*Tx).exec(`UPDATE webhooks SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND disabled_at IS NULL`,
			at.UTC(), huying.WebhookSuspended, id)
		return db.err("订阅", err)
	})
}

// Webhooks lists the subscribers.
func (db *DB) Webhooks(ctx context.Context) ([]*huying.Webhook, error) {
	return webhooks(db.reader(ctx))
}

// Webhooks lists the subscribers inside the transaction.
func (t *Tx) Webhooks() ([]*huying.Webhook, error) { return webhooks(t.runner) }

func webhooks(r runner) ([]*huying.Webhook, error) {
	db := r.db
	rows, err := r.query(`SELECT id, url, secret, created_at, disabled_at, disabled_reason FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, db.err("订阅", err)
	}
	defer rows.Close()
	list := []*huying.Webhook{}
	for rows.Next() {
		var w huying.Webhook
		var disabled sql.NullTime
		if err := rows.Scan(&w.ID, &w.URL, &w.Secret, &w.CreatedAt, &disabled, &w.DisabledReason); err != nil {
			return nil, db.err("订阅", err)
		}
		w.CreatedAt, w.DisabledAt = w.CreatedAt.UTC(), nullTime(disabled)
		list = append(list, &w)
	}
	return list, db.err("订阅", rows.Err())
}

// ClaimNotices leases due notices to the caller.
func (db *DB) ClaimNotices(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*huying.Notice, error) {
	var list []*huying.Notice
	err := db.Update(ctx, func(tx huying.Tx) error {
		t := tx.(*Tx)
		rows, err := t.query(`SELECT `+noticeColumns+` FROM outbox WHERE next_at IS NOT NULL AND next_at <= ?
			ORDER BY next_at LIMIT ? `+db.Dialect.SkipLocked, now.UTC(), limit)
		if err != nil {
			return err
		}
		list = list[:0]
		for rows.Next() {
			n, err := scanNotice(rows)
			if err != nil {
				rows.Close()
				return err
			}
			list = append(list, n)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(list) == 0 {
			return nil
		}
		ids := make([]any, len(list))
		for i, n := range list {
			ids[i] = n.ID
		}
		until := now.Add(lease).UTC()
		_, err = t.exec(`UPDATE outbox SET next_at = ? WHERE id IN (`+strings.Repeat("?,", len(ids)-1)+`?)`, append([]any{until}, ids...)...)
		for _, n := range list {
			n.NextAt = &until
		}
		return err
	})
	return list, db.err("通知", err)
}

// FinishNotice records a send attempt if no other attempt was recorded since.
func (db *DB) FinishNotice(ctx context.Context, n *huying.Notice, attempts int) error {
	return db.Update(ctx, func(tx huying.Tx) error {
		res, err := tx.(*Tx).exec(`UPDATE outbox SET attempts = ?, next_at = ?, sent_at = ?, last_error = ?
			WHERE id = ? AND attempts = ?`, n.Attempts, timeArg(n.NextAt), timeArg(n.SentAt), n.LastError, n.ID, attempts)
		return db.cas(res, err, 1, "通知", "通知已被其他节点处理")
	})
}

// OutboxBacklog counts pending notices.
func (db *DB) OutboxBacklog(ctx context.Context) (int, error) {
	var n int
	err := db.reader(ctx).queryRow(`SELECT COUNT(*) FROM outbox WHERE next_at IS NOT NULL`).Scan(&n)
	return n, db.err("通知", err)
}
