package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"huying"
)

// keywordSep separates an article's keywords in their column: a control
// character no keyword can hold (Article.Normalize splits on the visible ones).
const keywordSep = "\x1f"

const articleColumns = `id, question, answer, category, unit_id, keywords, valid_from, valid_to, uses, version,
	created_by, created_at, updated_at`

func (r runner) articles(where string, args ...any) ([]*huying.Article, error) {
	rows, err := r.query(`SELECT `+articleColumns+` FROM articles`+where, args...)
	if err != nil {
		return nil, r.db.err("知识库", err)
	}
	defer rows.Close()
	list := []*huying.Article{}
	for rows.Next() {
		var a huying.Article
		var kws string
		var to sql.NullTime
		if err := rows.Scan(&a.ID, &a.Question, &a.Answer, &a.Category, &a.UnitID, &kws, &a.ValidFrom, &to, &a.Uses,
			&a.Version, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt); err != nil {
			return nil, r.db.err("知识库", err)
		}
		a.Keywords = []string{}
		if kws != "" {
			a.Keywords = strings.Split(kws, keywordSep)
		}
		a.ValidFrom, a.ValidTo, a.CreatedAt, a.UpdatedAt = a.ValidFrom.UTC(), nullTime(to), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		list = append(list, &a)
	}
	return list, r.db.err("知识库", rows.Err())
}

// Articles lists articles, most used first.
func (db *DB) Articles(ctx context.Context, f huying.ArticleFilter) ([]*huying.Article, int, error) {
	var where []string
	var args []any
	if f.UnitID != "" {
		where, args = append(where, "unit_id = ?"), append(args, f.UnitID)
	}
	if !f.ValidAt.IsZero() {
		where = append(where, "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)")
		args = append(args, f.ValidAt.UTC(), f.ValidAt.UTC())
	}
	for _, w := range strings.Fields(f.Query) {
		like := LikePattern(w)
		where = append(where, `(question LIKE ? ESCAPE '\' OR answer LIKE ? ESCAPE '\' OR category LIKE ? ESCAPE '\' OR keywords LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	r := db.reader(ctx)
	var total int
	if err := r.queryRow(`SELECT COUNT(*) FROM articles`+cond, args...).Scan(&total); err != nil {
		return nil, 0, db.err("知识库", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	list, err := r.articles(cond+` ORDER BY uses DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	return list, total, err
}

// LikePattern is a LIKE pattern matching s anywhere, with LIKE's own
// characters escaped by backslash.
func LikePattern(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s) + "%"
}

// DirectAnswers counts the direct answers of the appeals received in [from, to).
func (db *DB) DirectAnswers(ctx context.Context, from, to time.Time) (huying.DirectAnswerStats, error) {
	var st huying.DirectAnswerStats
	err := db.reader(ctx).queryRow(`SELECT COUNT(*), COUNT(d.appeal_id), COUNT(d.article_id)
		FROM appeals a LEFT JOIN direct_answers d ON d.appeal_id = a.id
		WHERE a.received_at >= ? AND a.received_at < ?`, from.UTC(), to.UTC()).Scan(&st.Received, &st.Answered, &st.FromArticle)
	if st.Received > 0 {
		st.Rate = float64(st.Answered) / float64(st.Received)
	}
	return st, db.err("直接答复统计", err)
}

// CreateArticle inserts an article.
func (t *Tx) CreateArticle(a *huying.Article) error {
	err := t.queryRow(`INSERT INTO articles (question, answer, category, unit_id, keywords, valid_from, valid_to, uses,
		version, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		a.Question, a.Answer, a.Category, a.UnitID, strings.Join(a.Keywords, keywordSep), a.ValidFrom.UTC(),
		timeArg(a.ValidTo), a.Uses, a.Version, a.CreatedBy, a.CreatedAt.UTC(), a.UpdatedAt.UTC()).Scan(&a.ID)
	return t.db.err("知识库", err)
}

// Article reads one article.
func (t *Tx) Article(id int64) (*huying.Article, error) {
	list, err := t.articles(" WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, huying.Errorf(huying.ENOTFOUND, "知识库条目不存在")
	}
	return list[0], nil
}

// UpdateArticle writes an article if its stored version is version.
func (t *Tx) UpdateArticle(a *huying.Article, version int) error {
	return t.casOne(`UPDATE articles SET question = ?, answer = ?, category = ?, unit_id = ?, keywords = ?,
		valid_from = ?, valid_to = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		"知识库条目已被他人修改，请刷新后重试", a.Question, a.Answer, a.Category, a.UnitID,
		strings.Join(a.Keywords, keywordSep), a.ValidFrom.UTC(), timeArg(a.ValidTo), a.Version, a.UpdatedAt.UTC(),
		a.ID, version)
}

// RecordDirectAnswer records a direct answer and counts its article's use.
func (t *Tx) RecordDirectAnswer(appealID, articleID int64, at time.Time) error {
	var article any
	if articleID != 0 {
		article = articleID
		if err := t.casOne(`UPDATE articles SET uses = uses + 1 WHERE id = ?`, "知识库条目不存在", articleID); err != nil {
			return err
		}
	}
	_, err := t.exec(`INSERT INTO direct_answers (appeal_id, article_id, at) VALUES (?,?,?)`, appealID, article, at.UTC())
	return t.db.err("直接答复", err)
}
