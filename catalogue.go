package huying

import (
	"context"
	"time"
)

// Triage is what intake learned about an appeal before dispatch: the
// classifier's category with its probability and reasons, the place, and
// the catalogue's ranked suggestions. The dispatcher sees it in the queue.
type Triage struct {
	Category    string       `json:"category"`
	Probability float64      `json:"probability"`
	Top         []Scored     `json:"top,omitempty"`
	Reasons     []string     `json:"reasons,omitempty"`
	Street      string       `json:"street,omitempty"`
	Community   string       `json:"community,omitempty"`
	PlaceNote   string       `json:"place_note,omitempty"`
	Suggestions []Suggestion `json:"suggestions,omitempty"`
	// Duplicates are open appeals that look like the same matter (并单候选).
	Duplicates []string `json:"duplicates,omitempty"`
	// Auto says the appeal was dispatched at intake without a dispatcher.
	Auto bool `json:"auto,omitempty"`
}

// Scored is a category with its probability.
type Scored struct {
	Label string  `json:"label"`
	Prob  float64 `json:"probability"`
}

// Suggestion is one routing the catalogue proposes: a lead unit, the
// matter (事项) of the rule that chose it, and why, in Chinese.
type Suggestion struct {
	Category string `json:"category"`
	RuleID   string `json:"rule_id"`
	// Matter is the rule's 事项 (燃气泄漏, 占道经营…), "" for an unnamed rule.
	Matter string `json:"matter,omitempty"`
	// Confidence is the routing's 把握度 for the first suggestion (0 for
	// the others); auto-dispatch compares it with its threshold.
	Confidence float64  `json:"confidence,omitempty"`
	Lead       string   `json:"lead"`
	Assists    []string `json:"assists,omitempty"`
	Urgency    string   `json:"urgency,omitempty"`
	Basis      string   `json:"legal_basis,omitempty"`
	Why        []string `json:"why,omitempty"`
}

// CatalogueVersion is one stored version of the dispatch catalogue, as JSON.
type CatalogueVersion struct {
	Version   int       `json:"version"`
	Body      string    `json:"body"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// CatalogueStore reads the dispatch catalogue.
type CatalogueStore interface {
	// LatestCatalogue returns the newest version. Returns ENOTFOUND when there is none.
	LatestCatalogue(ctx context.Context) (*CatalogueVersion, error)
}

// CatalogueTx stores versions of the dispatch catalogue (派单目录).
type CatalogueTx interface {
	// PutCatalogue stores a new catalogue version. Returns ECONFLICT if the
	// version exists (someone saved meanwhile).
	PutCatalogue(c *CatalogueVersion) error
	// LatestCatalogue reads the newest version inside the transaction.
	// Returns ENOTFOUND when there is none.
	LatestCatalogue() (*CatalogueVersion, error)
}
