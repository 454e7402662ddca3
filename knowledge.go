package huying

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Article is a 知识库 article: a question residents ask and the answer the
// centre gives, owned by the unit that keeps it current. An intake agent
// answers a consultation (直接答复) from an article; the answer event names
// it and its use is counted.
type Article struct {
	ID       int64    `json:"id"`
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Category string   `json:"category"`
	UnitID   string   `json:"unit_id"` // the owning unit (the centre for its own)
	Keywords []string `json:"keywords"`
	// ValidFrom and ValidTo bound when the answer holds (a fee schedule, a
	// policy year); ValidTo nil means until further notice.
	ValidFrom time.Time  `json:"valid_from"`
	ValidTo   *time.Time `json:"valid_to,omitempty"`
	Uses      int        `json:"uses"` // direct answers given from it
	Version   int        `json:"version"`
	CreatedBy int64      `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Limits of an article's fields.
const (
	MaxQuestionRunes = 200
	MaxAnswerRunes   = 4000
	MaxKeywords      = 20
	MaxKeywordRunes  = 20
)

// ValidAt says whether the article's answer holds at t.
func (a *Article) ValidAt(t time.Time) bool {
	return !t.Before(a.ValidFrom) && (a.ValidTo == nil || t.Before(*a.ValidTo))
}

// Normalize trims the article's text and splits keywords given with
// Chinese or ASCII separators (、，, and spaces) into a clean, unique list.
func (a *Article) Normalize() {
	a.Question, a.Answer, a.Category = strings.TrimSpace(a.Question), strings.TrimSpace(a.Answer), strings.TrimSpace(a.Category)
	var kws []string
	seen := map[string]bool{}
	for _, k := range a.Keywords {
		for _, w := range strings.FieldsFunc(k, func(r rune) bool { return strings.ContainsRune("、，,；; \t\n　", r) }) {
			if !seen[w] {
				seen[w] = true
				kws = append(kws, w)
			}
		}
	}
	a.Keywords = kws
}

// Validate checks a normalised article's fields. Returns EINVALID naming the field.
func (a *Article) Validate() error {
	switch {
	case a.Question == "" || utf8.RuneCountInString(a.Question) > MaxQuestionRunes:
		return FieldErrorf("question", "请填写问题（不超过 %d 字）", MaxQuestionRunes)
	case a.Answer == "" || utf8.RuneCountInString(a.Answer) > MaxAnswerRunes:
		return FieldErrorf("answer", "请填写答复口径（不超过 %d 字）", MaxAnswerRunes)
	case utf8.RuneCountInString(a.Category) > 50:
		return FieldErrorf("category", "分类不能超过 50 字")
	case a.UnitID == "":
		return FieldErrorf("unit_id", "请选择维护单位")
	case len(a.Keywords) > MaxKeywords:
		return FieldErrorf("keywords", "关键词不能超过 %d 个", MaxKeywords)
	case a.ValidFrom.IsZero():
		return FieldErrorf("valid_from", "请填写生效日期")
	case a.ValidTo != nil && !a.ValidTo.After(a.ValidFrom):
		return FieldErrorf("valid_to", "失效日期须晚于生效日期")
	}
	for _, k := range a.Keywords {
		if utf8.RuneCountInString(k) > MaxKeywordRunes {
			return FieldErrorf("keywords", "关键词「%s」超过 %d 字", k, MaxKeywordRunes)
		}
	}
	return nil
}

// ArticleFilter selects articles. Zero fields do not filter.
type ArticleFilter struct {
	UnitID  string
	ValidAt time.Time // holds at this time
	Query   string    // substring of question, answer, category or keywords
	Limit   int
	Offset  int
}

// DirectAnswerStats are a period's direct answers (直接答复) of the appeals
// received in it: how many, how many from a knowledge article, and the
// rate 直接答复率 = answered ÷ received.
type DirectAnswerStats struct {
	Received    int     `json:"received"`
	Answered    int     `json:"answered"`
	FromArticle int     `json:"from_article"`
	Rate        float64 `json:"rate"`
}

// KnowledgeStore reads the knowledge base.
type KnowledgeStore interface {
	// Articles returns the articles matching f, most used first, and the total count.
	Articles(ctx context.Context, f ArticleFilter) ([]*Article, int, error)
	// DirectAnswers counts the direct answers of the appeals received in [from, to).
	DirectAnswers(ctx context.Context, from, to time.Time) (DirectAnswerStats, error)
}

// KnowledgeTx keeps the knowledge base (知识库) and the record of direct answers.
type KnowledgeTx interface {
	// CreateArticle inserts an article and sets its ID.
	CreateArticle(a *Article) error
	// Article reads an article. Returns ENOTFOUND.
	Article(id int64) (*Article, error)
	// UpdateArticle writes a's fields if the stored version is version
	// (a.Version is the new one). Returns ECONFLICT otherwise.
	UpdateArticle(a *Article, version int) error
	// RecordDirectAnswer records that an appeal was answered directly, from
	// article articleID when it is not zero (whose use it counts).
	RecordDirectAnswer(appealID, articleID int64, at time.Time) error
}
