package workflow

import (
	"context"
	"strings"

	"huying"
)

// Example is one labelled text for the classifier.
type Example struct {
	AppealID int64
	Text     string
	Label    string // the top-level category (一级分类)
	// Correction says a person chose the label against the classifier's
	// guess (a dispatcher's override, or an upheld return re-dispatched).
	Correction bool
}

// TrainingExamples returns the appeals whose category a person set or
// confirmed: those a dispatcher dispatched or re-dispatched with a
// category, and auto-dispatched ones that were never returned. The label is
// the category's first level, the level the classifier predicts.
func (s *Service) TrainingExamples(ctx context.Context) ([]Example, error) {
	var out []Example
	for offset := 0; ; offset += 500 {
		list, total, err := s.Store.Appeals(ctx, huying.AppealFilter{Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if a.Category == "" {
				continue
			}
			label, _, _ := strings.Cut(a.Category, "/")
			ex := Example{AppealID: a.ID, Text: a.Title + " " + a.Content, Label: label}
			if a.Triage != nil && a.Triage.Category != "" {
				ex.Correction = a.Triage.Category != label
				if a.Triage.Auto && a.Status == huying.StatusReturned {
					continue // the routing is in dispute: not a label yet
				}
			}
			out = append(out, ex)
		}
		if offset+len(list) >= total || len(list) == 0 {
			return out, nil
		}
	}
}
