package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"huying"
)

// Unit returns a unit by id.
func (db *DB) Unit(ctx context.Context, id string) (*huying.Unit, error) {
	return unit(db.reader(ctx), id)
}

// Unit reads a unit inside the transaction.
func (t *Tx) Unit(id string) (*huying.Unit, error) { return unit(t.runner, id) }

const unitColumns = `id, parent_id, name, kind, disabled_at, version`

func scanUnit(s scanner) (*huying.Unit, error) {
	var u huying.Unit
	var kind string
	var disabled sql.NullTime
	if err := s.Scan(&u.ID, &u.ParentID, &u.Name, &kind, &disabled, &u.Version); err != nil {
		return nil, err
	}
	u.Kind = huying.UnitKind(kind)
	if disabled.Valid {
		at := disabled.Time.UTC()
		u.DisabledAt = &at
	}
	return &u, nil
}

func unit(r runner, id string) (*huying.Unit, error) {
	u, err := scanUnit(r.queryRow(`SELECT `+unitColumns+` FROM units WHERE id = ?`, id))
	if err != nil {
		return nil, r.db.err("单位", err)
	}
	return u, nil
}

// Units returns all units.
func (db *DB) Units(ctx context.Context) ([]*huying.Unit, error) { return units(db.reader(ctx)) }

// Units reads all units inside the transaction.
func (t *Tx) Units() ([]*huying.Unit, error) { return units(t.runner) }

func units(r runner) ([]*huying.Unit, error) {
	db := r.db
	rows, err := r.query(`SELECT ` + unitColumns + ` FROM units ORDER BY id`)
	if err != nil {
		return nil, db.err("单位", err)
	}
	defer rows.Close()
	list := []*huying.Unit{}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, db.err("单位", err)
		}
		list = append(list, u)
	}
	return list, db.err("单位", rows.Err())
}

// CreateUnit inserts a unit.
func (t *Tx) CreateUnit(u *huying.Unit) error {
	_, err := t.exec(`INSERT INTO units (id, parent_id, name, kind, disabled_at, version) VALUES (?,?,?,?,?,1)`,
		u.ID, u.ParentID, u.Name, string(u.Kind), timeArg(u.DisabledAt))
	if err == nil {
		u.Version = 1
	}
	return t.db.err("单位", err)
}

// UpdateUnit writes a unit's name, parent and disabled time if its version
// is still version.
func (t *Tx) UpdateUnit(u *huying.Unit, version int) error {
	res, err := t.exec(`UPDATE units SET name = ?, parent_id = ?, disabled_at = ?, version = ? WHERE id = ? AND version = ?`,
		u.Name, u.ParentID, timeArg(u.DisabledAt), version+1, u.ID, version)
	if err := t.db.cas(res, err, 1, "单位", "单位「"+u.Name+"」已被他人修改，请刷新后重试"); err != nil {
		return err
	}
	u.Version = version + 1
	return nil
}

const userColumns = `id, kind, username, name, unit_id, roles, phone, password_hash, created_at, disabled_at, failed_logins, locked_until`

func scanUser(s scanner) (*huying.User, error) {
	var u huying.User
	var kind, roles string
	var disabled, locked sql.NullTime
	if err := s.Scan(&u.ID, &kind, &u.Username, &u.Name, &u.UnitID, &roles, &u.Phone, &u.PasswordHash, &u.CreatedAt,
		&disabled, &u.FailedLogins, &locked); err != nil {
		return nil, err
	}
	u.Kind, u.CreatedAt = huying.UserKind(kind), u.CreatedAt.UTC()
	u.DisabledAt, u.LockedUntil = nullTime(disabled), nullTime(locked)
	u.Roles = []huying.Role{}
	for r := range strings.SplitSeq(roles, ",") {
		if r != "" {
			u.Roles = append(u.Roles, huying.Role(r))
		}
	}
	return &u, nil
}

func joinRoles(rs []huying.Role) string {
	roles := make([]string, len(rs))
	for i, r := range rs {
		roles[i] = string(r)
	}
	return strings.Join(roles, ",")
}

// User returns a user by id.
func (db *DB) User(ctx context.Context, id int64) (*huying.User, error) {
	u, err := scanUser(db.reader(ctx).queryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, db.err("用户", err)
}

// UserByUsername returns a user by login name.
func (db *DB) UserByUsername(ctx context.Context, username string) (*huying.User, error) {
	u, err := scanUser(db.reader(ctx).queryRow(`SELECT `+userColumns+` FROM users WHERE username = ?`, username))
	return u, db.err("用户", err)
}

// Users returns all users.
func (db *DB) Users(ctx context.Context) ([]*huying.User, error) { return users(db.reader(ctx)) }

// Users reads all users inside the transaction.
func (t *Tx) Users() ([]*huying.User, error) { return users(t.runner) }

func users(r runner) ([]*huying.User, error) {
	db := r.db
	rows, err := r.query(`SELECT ` + userColumns + ` FROM users ORDER BY id`)
	if err != nil {
		return nil, db.err("用户", err)
	}
	defer rows.Close()
	list := []*huying.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, db.err("用户", err)
		}
		list = append(list, u)
	}
	return list, db.err("用户", rows.Err())
}

// CreateUser inserts a user.
func (t *Tx) CreateUser(u *huying.User) error {
	if u.Kind == "" {
		u.Kind = huying.UserStaff
	}
	err := t.queryRow(`INSERT INTO users (kind, username, name, unit_id, roles, phone, password_hash, created_at)
		VALUES (?,?,?,?,?,?,?,?) RETURNING id`, string(u.Kind), u.Username, u.Name, u.UnitID, joinRoles(u.Roles),
		u.Phone, u.PasswordHash, u.CreatedAt.UTC()).Scan(&u.ID)
	return t.db.err("用户", err)
}

// UserForUpdate reads a user inside the transaction, locking its row.
func (t *Tx) UserForUpdate(id int64) (*huying.User, error) {
	u, err := scanUser(t.queryRow(`SELECT `+userColumns+` FROM users WHERE id = ? `+t.db.Dialect.ForUpdate, id))
	return u, t.db.err("用户", err)
}

// UpdateUser writes a user's changeable columns.
func (t *Tx) UpdateUser(u *huying.User) error {
	res, err := t.exec(`UPDATE users SET name = ?, unit_id = ?, roles = ?, phone = ?, password_hash = ?,
		disabled_at = ?, failed_logins = ?, locked_until = ? WHERE id = ?`,
		u.Name, u.UnitID, joinRoles(u.Roles), u.Phone, u.PasswordHash, timeArg(u.DisabledAt), u.FailedLogins,
		timeArg(u.LockedUntil), u.ID)
	if err := t.db.cas(res, err, 1, "用户", "用户不存在"); huying.ErrorCode(err) == huying.ECONFLICT {
		return huying.Errorf(huying.ENOTFOUND, "用户不存在")
	} else if err != nil {
		return err
	}
	return nil
}

// SessionByHash returns a login session.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*huying.Session, error) {
	var s huying.Session
	err := db.reader(ctx).queryRow(`SELECT user_id, expires_at FROM sessions WHERE token_hash = ?`, hash).
		Scan(&s.UserID, &s.ExpiresAt)
	if err != nil {
		return nil, db.err("登录会话", err)
	}
	return &s, nil
}

// CreateSession stores a login session.
func (t *Tx) CreateSession(hash string, s huying.Session) error {
	_, err := t.exec(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?,?,?)`, hash, s.UserID, s.ExpiresAt.UTC())
	return t.db.err("登录会话", err)
}

// DeleteSession removes a login session.
func (t *Tx) DeleteSession(hash string) error {
	_, err := t.exec(`DELETE FROM sessions WHERE token_hash = ?`, hash)
	return t.db.err("登录会话", err)
}

// DeleteUserSessions removes every session of a user.
func (t *Tx) DeleteUserSessions(userID int64) error {
	_, err := t.exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
	return t.db.err("登录会话", err)
}

const tokenColumns = `id, name, channel, prefix, scopes, user_id, created_by, created_at, expires_at, revoked_at, last_used_at`

func scanToken(s scanner) (*huying.APIToken, error) {
	var tk huying.APIToken
	var scopes string
	var expires, revoked, used sql.NullTime
	if err := s.Scan(&tk.ID, &tk.Name, &tk.Channel, &tk.Prefix, &scopes, &tk.UserID, &tk.CreatedBy, &tk.CreatedAt,
		&expires, &revoked, &used); err != nil {
		return nil, err
	}
	tk.CreatedAt = tk.CreatedAt.UTC()
	tk.ExpiresAt, tk.RevokedAt, tk.LastUsedAt = nullTime(expires), nullTime(revoked), nullTime(used)
	tk.Scopes = []huying.Scope{}
	for sc := range strings.SplitSeq(scopes, ",") {
		if sc != "" {
			tk.Scopes = append(tk.Scopes, huying.Scope(sc))
		}
	}
	return &tk, nil
}

// TokenByHash returns an API token.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*huying.APIToken, error) {
	tk, err := scanToken(db.reader(ctx).queryRow(`SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	return tk, db.err("接口令牌", err)
}

// Tokens returns every API token, newest first.
func (db *DB) Tokens(ctx context.Context) ([]*huying.APIToken, error) {
	rows, err := db.reader(ctx).query(`SELECT ` + tokenColumns + ` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, db.err("接口令牌", err)
	}
	defer rows.Close()
	list := []*huying.APIToken{}
	for rows.Next() {
		tk, err := scanToken(rows)
		if err != nil {
			return nil, db.err("接口令牌", err)
		}
		list = append(list, tk)
	}
	return list, db.err("接口令牌", rows.Err())
}

// CreateToken stores an API token.
func (t *Tx) CreateToken(tk *huying.APIToken, hash string) error {
	scopes := make([]string, len(tk.Scopes))
	for i, sc := range tk.Scopes {
		scopes[i] = string(sc)
	}
	err := t.queryRow(`INSERT INTO api_tokens (name, channel, prefix, scopes, user_id, created_by, token_hash, created_at, expires_at)
		VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`,
		tk.Name, tk.Channel, tk.Prefix, strings.Join(scopes, ","), tk.UserID, tk.CreatedBy, hash, tk.CreatedAt.UTC(),
		timeArg(tk.ExpiresAt)).Scan(&tk.ID)
	return t.db.err("接口令牌", err)
}

// RevokeToken marks a token revoked, once.
func (t *Tx) RevokeToken(id int64, at time.Time) error {
	res, err := t.exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, at.UTC(), id)
	if err := t.db.cas(res, err, 1, "接口令牌", "接口令牌已被吊销"); err != nil {
		if huying.ErrorCode(err) != huying.ECONFLICT {
			return err
		}
		var n int
		if err := t.queryRow(`SELECT COUNT(*) FROM api_tokens WHERE id = ?`, id).Scan(&n); err != nil {
			return t.db.err("接口令牌", err)
		}
		if n == 0 {
			return huying.Errorf(huying.ENOTFOUND, "接口令牌不存在")
		}
		return err
	}
	return nil
}

// TouchToken records a token's last use.
func (t *Tx) TouchToken(id int64, at time.Time) error {
	_, err := t.exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at.UTC(), id)
	return t.db.err("接口令牌", err)
}

// CreateTrackProof stores a proof's hash and drops the expired ones.
func (t *Tx) CreateTrackProof(hash string, appealID int64, expires, now time.Time) error {
	if _, err := t.exec(`DELETE FROM track_proofs WHERE expires_at <= ?`, now.UTC()); err != nil {
		return t.db.err("查询凭证", err)
	}
	_, err := t.exec(`INSERT INTO track_proofs (hash, appeal_id, expires_at) VALUES (?,?,?)`, hash, appealID, expires.UTC())
	return t.db.err("查询凭证", err)
}

// TrackProof returns the appeal of a live proof.
func (t *Tx) TrackProof(hash string, now time.Time) (int64, error) {
	var id int64
	err := t.queryRow(`SELECT appeal_id FROM track_proofs WHERE hash = ? AND expires_at > ?`, hash, now.UTC()).Scan(&id)
	return id, t.db.err("查询凭证", err)
}

// PutAttachment records an attachment's metadata once per hash, and that
// uploader uploaded it.
func (t *Tx) PutAttachment(a huying.Attachment, uploader int64, at time.Time) error {
	if _, err := t.exec(`INSERT INTO attachments (hash, size, content_type, created_at) VALUES (?,?,?,?)
		ON CONFLICT (hash) DO NOTHING`, a.Hash, a.Size, a.ContentType, at.UTC()); err != nil {
		return t.db.err("附件", err)
	}
	_, err := t.exec(`INSERT INTO attachment_uploads (hash, user_id, created_at) VALUES (?,?,?)
		ON CONFLICT (hash, user_id) DO NOTHING`, a.Hash, uploader, at.UTC())
	return t.db.err("附件", err)
}

// LinkAttachments records that an appeal's supplement or reply (kind)
// added the files, so that they show on the appeal and those who may see
// it may download them.
func (t *Tx) LinkAttachments(appealID int64, kind string, list []huying.Attachment) error {
	for _, at := range list {
		if _, err := t.exec(`INSERT INTO event_attachments (hash, appeal_id, name, kind) VALUES (?,?,?,?)
			ON CONFLICT (hash, appeal_id) DO NOTHING`, at.Hash, appealID, at.Name, kind); err != nil {
			return t.db.err("附件", err)
		}
	}
	return nil
}

// AttachmentRefs returns who uploaded a file and which appeals refer to it.
func (db *DB) AttachmentRefs(ctx context.Context, hash string) (*huying.AttachmentRefs, error) {
	return attachmentRefs(db, db.reader(ctx), hash)
}

// AttachmentRefs is DB.AttachmentRefs inside the transaction.
func (t *Tx) AttachmentRefs(hash string) (*huying.AttachmentRefs, error) {
	return attachmentRefs(t.db, t.runner, hash)
}

func attachmentRefs(db *DB, r runner, hash string) (*huying.AttachmentRefs, error) {
	var n int
	if err := r.queryRow(`SELECT COUNT(*) FROM attachments WHERE hash = ?`, hash).Scan(&n); err != nil {
		return nil, db.err("附件", err)
	}
	if n == 0 {
		return nil, huying.Errorf(huying.ENOTFOUND, "附件不存在")
	}
	uploaders, err := int64s(r, `SELECT user_id FROM attachment_uploads WHERE hash = ? ORDER BY user_id`, hash)
	if err != nil {
		return nil, db.err("附件", err)
	}
	appeals, err := int64s(r, `SELECT appeal_id FROM appeal_attachments WHERE hash = ?
		UNION SELECT appeal_id FROM event_attachments WHERE hash = ? ORDER BY 1`, hash, hash)
	if err != nil {
		return nil, db.err("附件", err)
	}
	return &huying.AttachmentRefs{Uploaders: uploaders, AppealIDs: appeals}, nil
}

// int64s runs a query of one integer column.
func int64s(r runner, query string, args ...any) ([]int64, error) {
	rows, err := r.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		list = append(list, id)
	}
	return list, rows.Err()
}
