package sqlstore

import (
	"time"

	"huying"
)

// CreateCode stores a code hash.
func (t *Tx) CreateCode(c *huying.SMSCode) error {
	err := t.queryRow(`INSERT INTO sms_codes (phone, code_hash, attempts, expires_at, created_at) VALUES (?,?,?,?,?) RETURNING id`,
		c.Phone, c.CodeHash, c.Attempts, c.ExpiresAt.UTC(), c.CreatedAt.UTC()).Scan(&c.ID)
	return t.db.err("验证码", err)
}

// RecentCodes counts codes sent to phone since since.
func (t *Tx) RecentCodes(phone string, since time.Time) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM sms_codes WHERE phone = ? AND created_at >= ?`, phone, since.UTC()).Scan(&n)
	return n, t.db.err("验证码", err)
}

// LatestCode returns the newest code of phone.
func (t *Tx) LatestCode(phone string) (*huying.SMSCode, error) {
	var c huying.SMSCode
	err := t.queryRow(`SELECT id, phone, code_hash, attempts, expires_at, created_at FROM sms_codes
		WHERE phone = ? ORDER BY id DESC LIMIT 1`, phone).Scan(&c.ID, &c.Phone, &c.CodeHash, &c.Attempts, &c.ExpiresAt, &c.CreatedAt)
	if err != nil {
		return nil, t.db.err("验证码", err)
	}
	c.ExpiresAt, c.CreatedAt = c.ExpiresAt.UTC(), c.CreatedAt.UTC()
	return &c, nil
}

// SpendCode counts an attempt, or removes the phone's codes once one is used.
func (t *Tx) SpendCode(id int64, used bool) error {
	q := `UPDATE sms_codes SET attempts = attempts + 1 WHERE id = ?`
	if used {
		q = `DELETE FROM sms_codes WHERE phone = (SELECT phone FROM sms_codes WHERE id = ?)`
	}
	_, err := t.exec(q, id)
	return t.db.err("验证码", err)
}

// Subscribe records a resident's subscription to an appeal's steps.
func (t *Tx) Subscribe(appealID int64, phone string, at time.Time) error {
	_, err := t.exec(`INSERT INTO subscriptions (appeal_id, phone, created_at) VALUES (?,?,?)
		ON CONFLICT (appeal_id, phone) DO NOTHING`, appealID, phone, at.UTC())
	return t.db.err("订阅", err)
}

// Subscribers returns the phones subscribed to an appeal.
func (t *Tx) Subscribers(appealID int64) ([]string, error) {
	rows, err := t.query(`SELECT phone FROM subscriptions WHERE appeal_id = ? ORDER BY phone`, appealID)
	if err != nil {
		return nil, t.db.err("订阅", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, t.db.err("订阅", err)
		}
		out = append(out, p)
	}
	return out, t.db.err("订阅", rows.Err())
}
