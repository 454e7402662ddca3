package identity

import (
	"context"
	"slices"

	"huying"
)

// Colleague is a handler of the caller's own unit, as the assignment of an
// order (指派处理人) lists them: a name, never a login or a phone.
type Colleague struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Colleagues returns the active handlers of the calling handler's unit.
// Returns EFORBIDDEN to anyone but a handler.
func (s *Service) Colleagues(ctx context.Context, actor huying.Actor) ([]Colleague, error) {
	u := actor.User
	if !actor.IsStaff() || actor.IsChannel() || !u.Has(huying.RoleHandler) || u.UnitID == "" {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有承办单位的承办人可以查看本单位的处理人")
	}
	all, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := []Colleague{}
	for _, c := range all {
		if c.Kind == huying.UserStaff && c.UnitID == u.UnitID && c.DisabledAt == nil && slices.Contains(c.Roles, huying.RoleHandler) {
			out = append(out, Colleague{ID: c.ID, Name: c.Name})
		}
	}
	return out, nil
}
