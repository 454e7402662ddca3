// Package workflow implements Huying's appeal lifecycle on top of a
// huying.Store: intake, dispatch, handling, closing and archive. Every
// command checks the caller's role and unit, validates its input, then in one
// transaction re-reads the appeal, checks the transition table, writes the
// change as a compare-and-set on the appeal's version and appends its event.
package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"huying"
)

// DueFunc computes the handling deadline (办结时限) of an appeal dispatched at start.
type DueFunc func(t huying.AppealType, u huying.Urgency, start time.Time) time.Time

// Service is the lifecycle service.
type Service struct {
	Store huying.Store
	// Now is the clock; tests inject their own.
	Now func() time.Time
	// Zone is the jurisdiction's zone, used for the date in tracking codes.
	Zone *time.Location
	// CodePrefix starts every tracking code ("PS" for 坪山).
	CodePrefix string
	// Due computes handling deadlines at dispatch.
	Due DueFunc
	// PasswordCost is the bcrypt cost of new passwords; tests lower it.
	PasswordCost int
}

// New returns a service with the default clock, zone (Asia/Shanghai),
// prefix "PS" and deadlines.
func New(store huying.Store) *Service {
	zone, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		zone = time.FixedZone("CST", 8*3600)
	}
	return &Service{Store: store, Now: time.Now, Zone: zone, CodePrefix: "PS", Due: DefaultDue(zone), PasswordCost: 10}
}

// now returns the clock's time in UTC truncated to microseconds, the
// precision both databases keep, so that event hashes survive a round trip.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// DefaultDue returns the Guangdong default close limits (咨询 2, 求助/建议 10,
// 投诉/举报 15 working days; urgent 2 clock hours), counting Monday to Friday
// as working days. The sla package replaces it with the statutory calendar.
func DefaultDue(zone *time.Location) DueFunc {
	days := map[huying.AppealType]int{huying.TypeConsult: 2, huying.TypeHelp: 10, huying.TypeSuggestion: 10,
		huying.TypeComplaint: 15, huying.TypeReport: 15}
	return func(t huying.AppealType, u huying.Urgency, start time.Time) time.Time {
		if u == huying.UrgencyUrgent {
			return start.Add(2 * time.Hour)
		}
		d := start.In(zone)
		for n := days[t]; n > 0; {
			d = d.AddDate(0, 0, 1)
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n--
			}
		}
		return d.UTC()
	}
}

// event builds an event of cmd on appeal a by actor.
func event(a *huying.Appeal, actor huying.Actor, kind string, from, to huying.Status, note string, data map[string]any, at time.Time) *huying.Event {
	e := &huying.Event{
		Chain: huying.AppealChain(a.ID), AppealID: a.ID, Kind: kind, Actor: actor.Name(),
		FromStatus: from, ToStatus: to, Note: note, At: at,
	}
	if actor.User != nil {
		e.ActorID, e.UnitID = actor.User.ID, actor.User.UnitID
	}
	if len(data) > 0 {
		// encoding/json writes map keys sorted, so the text is canonical.
		b, _ := json.Marshal(data)
		e.Data = string(b)
	}
	return e
}

// VerifyAudit re-walks every event chain and returns the number of chains
// and events checked, with an error naming the first event that does not match.
func (s *Service) VerifyAudit(ctx context.Context) (chains, events int, err error) {
	var v huying.ChainVerifier
	err = s.Store.WalkEvents(ctx, v.Check)
	if err != nil {
		return v.Chains, v.Events, fmt.Errorf("audit: %w", err)
	}
	return v.Chains, v.Events, nil
}
