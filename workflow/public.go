package workflow

import (
	"context"
	"strings"

	"huying"
)

// PublicView is a world-readable window on the appeals one interface
// filed (Open311's GETs are public by the spec): those of Channel whose
// content carries Marker, a tag only that interface writes, and never a
// confidential one. Residents who called 12345 or used the mini-program did
// not file in a public-report model, so nothing else is ever let out. A
// view only reads; the caller projects what it shows (no contact, no
// internal notes).
type PublicView struct {
	Channel string
	Marker  string
}

// visible reports whether the public may read a through v.
func (v PublicView) visible(a *huying.Appeal) bool {
	return v.Channel != "" && v.Marker != "" && a.Channel == v.Channel && !a.Confidential && strings.Contains(a.Content, v.Marker)
}

// PublicAppeal returns the appeal with code and its events if v lets it
// out. Returns ENOTFOUND for a missing and an invisible appeal alike.
func (s *Service) PublicAppeal(ctx context.Context, v PublicView, code string) (*huying.Appeal, []*huying.Event, error) {
	a, err := s.Store.AppealByCode(ctx, code)
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return nil, nil, err
	}
	if err != nil || !v.visible(a) {
		return nil, nil, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	events, err := s.Store.AppealEvents(ctx, a.ID)
	if err != nil {
		return nil, nil, err
	}
	return a, events, nil
}

// PublicAppeals lists up to n of the appeals v lets out that match f,
// newest first, from the offset-th of the matching ones, with the store's
// total; f's channel and confidentiality are v's, and an empty query is v's
// marker. It reads the store in pages of at most 500.
func (s *Service) PublicAppeals(ctx context.Context, v PublicView, f huying.AppealFilter, offset, n int) ([]*huying.Appeal, int, error) {
	if v.Channel == "" || v.Marker == "" {
		return nil, 0, huying.Errorf(huying.EINTERNAL, "public view without a channel and marker")
	}
	f.Channel, f.HideConfidential, f.CreatedBy = v.Channel, true, -1 // -1: no creator is excepted
	if f.Query == "" {
		f.Query = v.Marker
	}
	var out []*huying.Appeal
	total, read := 0, 0
	for len(out) < n {
		f.Offset, f.Limit = offset+read, min(n-len(out), 500)
		page, t, err := s.Store.Appeals(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		total, read = t, read+len(page)
		for _, a := range page {
			if v.visible(a) {
				out = append(out, a)
			}
		}
		if len(page) < f.Limit {
			break
		}
	}
	return out, total, nil
}

// PublicEvents returns the events of a, an appeal v lets out. Returns
// ENOTFOUND if v does not.
func (s *Service) PublicEvents(ctx context.Context, v PublicView, a *huying.Appeal) ([]*huying.Event, error) {
	if !v.visible(a) {
		return nil, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	return s.Store.AppealEvents(ctx, a.ID)
}
