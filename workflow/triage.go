package workflow

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"huying"
	"huying/classify"
	"huying/dispatch"
)

// Classifier proposes a category for an appeal's text (*classify.Model).
type Classifier interface {
	Predict(text string) classify.Prediction
}

// Locator places an appeal in its street and community: by point when
// there is one, else by the address text against a gazetteer.
type Locator interface {
	Locate(p huying.Point) (street, community string, ok bool)
	Match(address string) (street, community, note string, ok bool)
}

// catalogueCache holds the parsed newest catalogue for a few seconds.
type catalogueCache struct {
	mu      sync.Mutex
	c       *dispatch.Catalogue
	expires time.Time
}

// CatalogueFor is Catalogue for staff, who route and read the dispatch rules.
func (s *Service) CatalogueFor(ctx context.Context, actor huying.Actor) (*dispatch.Catalogue, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看派单目录的权限")
	}
	return s.Catalogue(ctx)
}

// Catalogue returns the newest dispatch catalogue (ENOTFOUND when none).
func (s *Service) Catalogue(ctx context.Context) (*dispatch.Catalogue, error) {
	s.cat.mu.Lock()
	defer s.cat.mu.Unlock()
	now := s.now()
	if s.cat.c != nil && now.Before(s.cat.expires) {
		return s.cat.c, nil
	}
	v, err := s.Store.LatestCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	c, err := dispatch.Parse([]byte(v.Body))
	if err != nil {
		return nil, err
	}
	c.Version = v.Version
	s.cat.c, s.cat.expires = c, now.Add(10*time.Second)
	return c, nil
}

// SetCatalogue validates c against the unit tree and stores it as the next
// version. Admins only (or the system actor).
func (s *Service) SetCatalogue(ctx context.Context, actor huying.Actor, c *dispatch.Catalogue) (int, error) {
	if actor.User != nil && !actor.User.Has(huying.RoleAdmin) {
		return 0, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以修改派单目录")
	}
	list, err := s.Store.Units(ctx)
	if err != nil {
		return 0, err
	}
	units := make(map[string]*huying.Unit, len(list))
	for _, u := range list {
		units[u.ID] = u
	}
	if err := c.Validate(units); err != nil {
		return 0, err
	}
	version := 1
	if latest, err := s.Store.LatestCatalogue(ctx); err == nil {
		version = latest.Version + 1
	} else if huying.ErrorCode(err) != huying.ENOTFOUND {
		return 0, err
	}
	c.Version = version
	body, err := json.Marshal(c)
	if err != nil {
		return 0, err
	}
	now := s.now()
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		v := &huying.CatalogueVersion{Version: version, Body: string(body), CreatedAt: now}
		if actor.User != nil {
			v.CreatedBy = actor.User.ID
		}
		if err := tx.PutCatalogue(v); err != nil {
			if huying.ErrorCode(err) == huying.ECONFLICT {
				return huying.Errorf(huying.ECONFLICT, "派单目录已被他人修改（第 %d 版），请刷新后重试", version)
			}
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "catalogue_updated", map[string]any{"version": version, "rules": len(c.Rules)}, now))
	})
	if err != nil {
		return 0, err
	}
	s.cat.mu.Lock()
	s.cat.c, s.cat.expires = c, now.Add(10*time.Second)
	s.cat.mu.Unlock()
	return version, nil
}

// triage classifies, places and routes an appeal at intake, and looks for
// open appeals that may be the same matter. It reads but writes nothing.
func (s *Service) triage(ctx context.Context, a *huying.Appeal) *huying.Triage {
	t := &huying.Triage{}
	text := a.Title + " " + a.Content
	if s.Classifier != nil {
		p := s.Classifier.Predict(text)
		t.Category, t.Probability = p.Label, p.Prob
		for _, x := range p.Top {
			t.Top = append(t.Top, huying.Scored{Label: x.Label, Prob: x.Prob})
		}
		for _, r := range p.Reasons {
			t.Reasons = append(t.Reasons, r.Feature)
		}
	}
	if s.Places != nil {
		if a.Point != nil {
			if st, c, ok := s.Places.Locate(*a.Point); ok {
				t.Street, t.Community, t.PlaceNote = st, c, "按坐标定位"
			}
		}
		if t.Street == "" {
			if st, c, note, ok := s.Places.Match(a.Address); ok {
				t.Street, t.Community, t.PlaceNote = st, c, note
			}
		}
	}
	a.Street, a.Community = t.Street, t.Community
	t.Suggestions = s.suggest(ctx, dispatch.Query{Street: t.Street, Community: t.Community, Text: text, Priors: priors(t)})
	t.Duplicates = s.duplicates(ctx, a)
	return t
}

// priors are the classifier's top categories as routing priors (its
// label alone when it gave no top list).
func priors(t *huying.Triage) []dispatch.Prior {
	var out []dispatch.Prior
	for _, x := range t.Top {
		out = append(out, dispatch.Prior{Category: x.Label, Prob: x.Prob})
	}
	if len(out) == 0 && t.Category != "" {
		out = append(out, dispatch.Prior{Category: t.Category, Prob: t.Probability})
	}
	return out
}

// suggest returns the catalogue's top three units for q (dispatch.Rank):
// a matter's keywords count whatever the category, the classifier's
// categories (or the dispatcher's q.Category) are priors.
func (s *Service) suggest(ctx context.Context, q dispatch.Query) []huying.Suggestion {
	c, err := s.Catalogue(ctx)
	if err != nil {
		return nil
	}
	category := q.Category
	if category == "" && len(q.Priors) > 0 {
		category = q.Priors[0].Category
	}
	var out []huying.Suggestion
	for _, r := range c.Rank(q) {
		out = append(out, huying.Suggestion{Category: category, RuleID: r.Rule.ID, Matter: r.Rule.Matter, Confidence: r.Confidence,
			Lead: r.Unit, Assists: r.Rule.Assists, Urgency: r.Rule.Urgency, Basis: r.Rule.LegalBasis, Why: r.Why})
		if len(out) == 3 {
			break
		}
	}
	return out
}

// Suggestions returns routings for an appeal under the dispatcher's
// category (the classifier's priors of its triage when empty), for the
// dispatcher's queue.
func (s *Service) Suggestions(ctx context.Context, actor huying.Actor, id int64, category string) ([]huying.Suggestion, error) {
	a, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := validCategory(category); err != nil {
		return nil, err
	}
	q := dispatch.Query{Category: category, Text: a.Title + " " + a.Content}
	if a.Triage != nil {
		q.Street, q.Community = a.Triage.Street, a.Triage.Community
		if category == "" {
			q.Priors = priors(a.Triage)
		}
	}
	return s.suggest(ctx, q), nil
}

// duplicates returns the codes of open appeals of the last seven days in
// the same community whose text is close to a's (character-bigram
// overlap). Without a community there is no cheap candidate set: none.
func (s *Service) duplicates(ctx context.Context, a *huying.Appeal) []string {
	if a.Community == "" {
		return nil
	}
	recent, err := s.Store.RecentInCommunity(ctx, a.Community, s.now().Add(-7*24*time.Hour), 100)
	if err != nil {
		return nil
	}
	mine := bigrams(a.Content)
	var out []string
	for _, b := range recent {
		if b.ID != a.ID && jaccard(mine, bigrams(b.Content)) >= DuplicateSimilarity {
			out = append(out, b.Code)
			if len(out) == 5 {
				break
			}
		}
	}
	return out
}

// DuplicateSimilarity is the bigram overlap above which two appeals are
// offered for 并单.
const DuplicateSimilarity = 0.6

func bigrams(s string) map[string]bool {
	r := []rune(strings.Join(strings.Fields(s), ""))
	m := make(map[string]bool, len(r))
	for i := 0; i+1 < len(r); i++ {
		m[string(r[i:i+2])] = true
	}
	return m
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// autoDispatch dispatches a just-received appeal by its triage when the
// routing is sure enough (the first suggestion's confidence, which is 0
// for a routing by category alone), in the intake transaction, with an
// event saying why. A consultation (咨询) is never dispatched
// automatically: it is answered at once from the 知识库 where possible
// (直接答复), and a dispatcher decides otherwise.
func (s *Service) autoDispatch(tx huying.Tx, a *huying.Appeal, now time.Time) error {
	t := a.Triage
	if t == nil || s.AutoDispatchAt <= 0 || a.Type == huying.TypeConsult || len(t.Suggestions) == 0 ||
		t.Suggestions[0].Confidence < s.AutoDispatchAt {
		return nil
	}
	sug := t.Suggestions[0]
	in := &Action{LeadUnitID: sug.Lead, AssistUnitIDs: sug.Assists}
	data, err := s.assign(tx, a, in)
	if huying.ErrorCode(err) == huying.EINVALID {
		// The catalogue points at a removed unit: the appeal stays received
		// for the dispatcher. Any other error fails the intake.
		return nil
	} else if err != nil {
		return err
	}
	if sug.Urgency != "" {
		a.Urgency = huying.Urgency(sug.Urgency)
	}
	a.Category, t.Auto = t.Category, true
	a.DueAt, a.OriginalDueAt = s.closeDue(a, now), nil
	data["category"], data["probability"], data["rule"], data["reasons"] = t.Category, fmt.Sprintf("%.3f", t.Probability), sug.RuleID, t.Reasons
	data["matter"], data["confidence"], data["why"] = sug.Matter, fmt.Sprintf("%.3f", sug.Confidence), sug.Why
	note := fmt.Sprintf("自动派单：事项「%s」（把握度 %.0f%%），依据派单目录规则 %s；%s", cmp.Or(sug.Matter, t.Category), sug.Confidence*100, sug.RuleID,
		strings.Join(sug.Why, "，"))
	return s.commit(tx, system, a, huying.CmdDispatch, huying.StatusReceived,
		&change{to: huying.StatusDispatched, note: note, data: withDue(data, a)}, now)
}

// validCategory checks a category path typed by a dispatcher.
func validCategory(c string) error {
	if utf8.RuneCountInString(c) > 100 || strings.Count(c, "/") > 2 {
		return huying.FieldErrorf("category", "分类最多三级、不超过 100 字，例如 城乡建设/城市建设和市政管理/环境卫生")
	}
	return nil
}
