// Package knowledge is the knowledge base (知识库) for direct answers
// (直接答复): articles kept by the centre and by each unit for its own
// matters, suggested to the intake agent as they type, and the direct-answer
// rate (直接答复率). Answering from an article is the lifecycle's answer
// command (workflow), which names the article in its event and counts its use
// through huying.KnowledgeTx.
package knowledge

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"huying"
)

// SuggestLimit is how many articles Suggest returns at most.
const SuggestLimit = 5

// cacheTTL is how long Suggest keeps the valid articles it read: a change
// made on this node is seen at once, one made on another node within this.
const cacheTTL = 30 * time.Second

// Service is the knowledge-base service.
type Service struct {
	Store huying.Store
	Now   func() time.Time

	mu       sync.Mutex
	cached   []*huying.Article
	cachedAt time.Time
}

// New returns the knowledge-base service on store.
func New(store huying.Store) *Service { return &Service{Store: store, Now: time.Now} }

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// ArticleInput is what a caller writes of an article.
type ArticleInput struct {
	Question  string     `json:"question"`
	Answer    string     `json:"answer"`
	Category  string     `json:"category"`
	UnitID    string     `json:"unit_id"`
	Keywords  []string   `json:"keywords"`
	ValidFrom *time.Time `json:"valid_from"`
	ValidTo   *time.Time `json:"valid_to"`
	// Version is the version the caller last saw (updates only).
	Version int `json:"version"`
}

// List returns the articles matching f and the total. Staff only.
func (s *Service) List(ctx context.Context, actor huying.Actor, f huying.ArticleFilter) ([]*huying.Article, int, error) {
	if !actor.IsStaff() {
		return nil, 0, huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以查看知识库")
	}
	return s.Store.Articles(ctx, f)
}

// Create adds an article. Admins write for any unit; a unit's handlers for their own.
func (s *Service) Create(ctx context.Context, actor huying.Actor, in ArticleInput) (*huying.Article, error) {
	now := s.now()
	a := &huying.Article{Version: 1, CreatedAt: now, UpdatedAt: now}
	if actor.User != nil {
		a.CreatedBy = actor.User.ID
	}
	if in.UnitID == "" && actor.User != nil {
		in.UnitID = actor.User.UnitID
	}
	if err := mayWrite(actor, in.UnitID); err != nil {
		return nil, err
	}
	if err := fill(a, in, now); err != nil {
		return nil, err
	}
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := checkUnit(tx, a.UnitID); err != nil {
			return err
		}
		a.ID = 0
		if err := tx.CreateArticle(a); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "article_created", map[string]any{"id": a.ID, "question": a.Question, "unit": a.UnitID}, now))
	})
	if err != nil {
		return nil, err
	}
	s.forget()
	return a, nil
}

// Update rewrites an article if in.Version is the stored one (ECONFLICT
// otherwise). To retire an article, set its valid_to.
func (s *Service) Update(ctx context.Context, actor huying.Actor, id int64, in ArticleInput) (*huying.Article, error) {
	now := s.now()
	var out *huying.Article
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := tx.Article(id)
		if err != nil {
			return err
		}
		if err := mayWrite(actor, a.UnitID); err != nil {
			return err
		}
		if in.Version <= 0 {
			return huying.FieldErrorf("version", "请提供条目的当前版本号")
		}
		if in.Version != a.Version {
			return huying.Errorf(huying.ECONFLICT, "知识库条目已被他人修改（当前版本 %d），请刷新后重试", a.Version)
		}
		if in.UnitID == "" {
			in.UnitID = a.UnitID
		}
		if in.ValidFrom == nil {
			in.ValidFrom = &a.ValidFrom
		}
		if err := fill(a, in, now); err != nil {
			return err
		}
		if err := mayWrite(actor, a.UnitID); err != nil {
			return err
		}
		if err := checkUnit(tx, a.UnitID); err != nil {
			return err
		}
		a.Version, a.UpdatedAt = in.Version+1, now
		if err := tx.UpdateArticle(a, in.Version); err != nil {
			return err
		}
		out = a
		return tx.AppendEvent(huying.AdminEvent(actor, "article_updated", map[string]any{"id": a.ID, "question": a.Question,
			"unit": a.UnitID, "version": a.Version}, now))
	})
	if err != nil {
		return nil, err
	}
	s.forget()
	return out, nil
}

// fill copies the input onto a, normalised and validated.
func fill(a *huying.Article, in ArticleInput, now time.Time) error {
	a.Question, a.Answer, a.Category, a.UnitID, a.Keywords = in.Question, in.Answer, in.Category, in.UnitID, in.Keywords
	a.ValidFrom, a.ValidTo = now, in.ValidTo
	if in.ValidFrom != nil {
		a.ValidFrom = in.ValidFrom.UTC()
	}
	if a.ValidTo != nil {
		t := a.ValidTo.UTC()
		a.ValidTo = &t
	}
	a.Normalize()
	return a.Validate()
}

// mayWrite says whether actor may write the articles of unit: admins any,
// handlers their own unit's.
func mayWrite(actor huying.Actor, unit string) error {
	u := actor.User
	switch {
	case u == nil && !actor.IsChannel():
		return nil // the system (the command line, the demo seed)
	case !actor.IsStaff():
		return huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以维护知识库")
	case u.Has(huying.RoleAdmin):
		return nil
	case u.Has(huying.RoleHandler) && u.UnitID == unit:
		return nil
	case u.Has(huying.RoleHandler):
		return huying.Errorf(huying.EFORBIDDEN, "只能维护本单位的知识库条目")
	}
	return huying.Errorf(huying.EFORBIDDEN, "只有管理员和承办单位可以维护知识库")
}

func checkUnit(tx huying.Tx, id string) error {
	_, err := tx.Unit(id)
	return huying.OrIfNotFound(err, huying.FieldErrorf("unit_id", "单位 %q 不存在", id))
}

// Stats returns the direct answers of the appeals received in [from, to). Staff only.
func (s *Service) Stats(ctx context.Context, actor huying.Actor, from, to time.Time) (huying.DirectAnswerStats, error) {
	if !actor.IsStaff() {
		return huying.DirectAnswerStats{}, huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以查看直接答复统计")
	}
	return s.Store.DirectAnswers(ctx, from, to)
}

// Suggestion is an article that matches what the agent typed, with the
// keywords it matched on (the reason a suggestion is shown).
type Suggestion struct {
	Article *huying.Article `json:"article"`
	Score   float64         `json:"score"`
	Matched []string        `json:"matched"`
}

// MaxSuggestRunes is how much typed text Suggest reads.
const MaxSuggestRunes = 2000

// Suggest returns the articles valid now that best match text (an appeal's
// title and content as the agent types them), best first, at most
// SuggestLimit. Staff only.
func (s *Service) Suggest(ctx context.Context, actor huying.Actor, text string) ([]Suggestion, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以使用知识库")
	}
	if utf8.RuneCountInString(text) > MaxSuggestRunes {
		text = string([]rune(text)[:MaxSuggestRunes])
	}
	arts, err := s.valid(ctx)
	if err != nil {
		return nil, err
	}
	return Rank(arts, text, s.now(), SuggestLimit), nil
}

// valid returns the articles valid now, cached for cacheTTL.
func (s *Service) valid(ctx context.Context) ([]*huying.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.cached != nil && now.Sub(s.cachedAt) < cacheTTL {
		return s.cached, nil
	}
	var all []*huying.Article
	for off := 0; ; off += 1000 {
		page, total, err := s.Store.Articles(ctx, huying.ArticleFilter{ValidAt: now, Limit: 1000, Offset: off})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	s.cached, s.cachedAt = all, now
	return all, nil
}

func (s *Service) forget() {
	s.mu.Lock()
	s.cached = nil
	s.mu.Unlock()
}

// minScore is the least score a suggestion needs: one keyword, or about a
// third of the question's character pairs.
const minScore = 0.3

// Rank scores the articles valid at now against text and returns the best
// n: each keyword found in the text counts 1 (plus a little for its length),
// and the share of the question's character pairs (bigrams) found in the text
// counts up to 1, so that a question asked in other words still surfaces.
func Rank(arts []*huying.Article, text string, now time.Time, n int) []Suggestion {
	norm := normalize(text)
	if norm == "" {
		return []Suggestion{}
	}
	have := bigrams(norm)
	var out []Suggestion
	for _, a := range arts {
		if !a.ValidAt(now) {
			continue
		}
		sg := Suggestion{Article: a, Matched: []string{}}
		for _, k := range a.Keywords {
			if nk := normalize(k); nk != "" && strings.Contains(norm, nk) {
				sg.Score += 1 + 0.1*float64(utf8.RuneCountInString(nk))
				sg.Matched = append(sg.Matched, k)
			}
		}
		if q := bigrams(normalize(a.Question)); len(q) > 0 {
			hit := 0
			for b := range q {
				if have[b] {
					hit++
				}
			}
			sg.Score += float64(hit) / float64(len(q))
		}
		if sg.Score >= minScore {
			out = append(out, sg)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Article.Uses > out[j].Article.Uses
	})
	return out[:min(n, len(out))]
}

// normalize keeps letters and digits, ASCII lowered: punctuation and spaces
// do not decide a match.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func bigrams(s string) map[string]bool {
	r := []rune(s)
	out := map[string]bool{}
	for i := 0; i+1 < len(r); i++ {
		out[string(r[i:i+2])] = true
	}
	if len(r) == 1 {
		out[s] = true
	}
	return out
}
