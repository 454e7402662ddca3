// Package workflow implements Huying's appeal lifecycle on top of a
// huying.Store: intake, dispatch, handling, closing and archive. Every
// command checks the caller's role and unit, validates its input, then in one
// transaction re-reads the appeal, checks the transition table, writes the
// change as a compare-and-set on the appeal's version and appends its event.
package workflow

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"huying"
	"huying/sla"
	"huying/workday"
)

// Service is the lifecycle service.
type Service struct {
	Store huying.Store
	// Now is the clock; tests inject their own.
	Now func() time.Time
	// Zone is the jurisdiction's zone, used for the date in tracking codes.
	Zone *time.Location
	// CodePrefix starts every tracking code ("PS" for 坪山).
	CodePrefix string
	// SLA is the jurisdiction's time limits (时限) per type and urgency.
	SLA *sla.Table
	// Calendar counts working days and hours.
	Calendar *workday.Calendar

	// Classifier and Places triage appeals at intake; nil skips that part.
	Classifier Classifier
	Places     Locator
	// AutoDispatchAt is the routing confidence (the first suggestion's
	// 把握度, dispatch.Candidate.Confidence) at or above which an appeal is
	// dispatched at intake; 0 never. dispatch.AutoDispatchAt is the
	// calibrated default.
	AutoDispatchAt float64
	// SplitCallback is how the resident of a split appeal is called back:
	// SplitCallbackPart (once per part, the default) or SplitCallbackEnd.
	SplitCallback string
	// NoticeSign starts every SMS (短信签名), such as 【坪山区民生诉求】.
	NoticeSign string
	// AllowPrivateWebhooks lets webhooks target loopback and private
	// addresses (tests, a subscriber inside the district's network).
	AllowPrivateWebhooks bool
	// CallbackAttempts is how many unanswered callbacks (回访未接通) make an
	// appeal 无法联系, and CallbackSpacing the least time between two of
	// them; zero takes huying's defaults (domain-12345.md sets neither).
	CallbackAttempts int
	CallbackSpacing  time.Duration
	// AuditKey is the audit checkpoint key (see package audit); without it
	// the audit cannot check the checkpoints' signatures.
	AuditKey []byte

	lim    limits                  // counters of tries (tracking codes)
	hooks  cached[*huying.Webhook] // webhook subscribers, briefly cached
	users  cached[*huying.User]    // staff who receive notices, briefly cached
	cat    catalogueCache          // the newest dispatch catalogue
	chans  cached[*huying.Channel] // the channel registry, briefly cached
	centre atomic.Value            // the district centre's unit id, once known

	settings settings // SLA versions and the calendar in force (settings.go)
}

// New returns a service with the default clock, prefix "PS", and deadlines
// from the default SLA profiles on cal (whose zone also dates the tracking codes).
func New(store huying.Store, cal *workday.Calendar) *Service {
	return &Service{Store: store, Now: time.Now, Zone: cal.Location(), CodePrefix: "PS",
		SLA: sla.Default(), Calendar: cal, NoticeSign: "【民生诉求】"}
}

// now returns the clock's time in UTC truncated to microseconds, the
// precision both databases keep, so that event hashes survive a round trip.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// limit computes the deadline of stage for an appeal whose stage starts at
// start. ok is false when the profile sets no limit for the stage. A type
// without a profile of its own gets the 投诉 profile, the longest, rather
// than no deadline.
//
// The profile is the one of the SLA version the appeal was received under
// (settings.go): a new version applies to appeals received after it.
func (s *Service) limit(a *huying.Appeal, stage string, start time.Time) (d sla.Deadline, ok bool) {
	_, table := s.slaAt(a.ReceivedAt)
	t, u := a.Type, a.Urgency
	p, err := table.Profile(sla.Key{Type: string(t), Urgency: string(u)})
	if err != nil {
		if p, err = table.Profile(sla.Key{Type: string(huying.TypeComplaint), Urgency: string(u)}); err != nil {
			return sla.Deadline{}, false
		}
	}
	d, err = sla.Compute(p, s.cal(), sla.Stage(stage), start)
	if err != nil {
		return sla.Deadline{}, false
	}
	d.DueAt, d.WarnAt = d.DueAt.UTC(), d.WarnAt.UTC()
	return d, true
}

// callbackRule is the number of callback attempts and their spacing.
func (s *Service) callbackRule() (int, time.Duration) {
	n, gap := s.CallbackAttempts, s.CallbackSpacing
	if n <= 0 {
		n = huying.DefaultCallbackAttempts
	}
	if gap <= 0 {
		gap = huying.DefaultCallbackSpacing
	}
	return n, gap
}

// closeDue is the handling deadline (办结时限) of an appeal dispatched at start.
func (s *Service) closeDue(a *huying.Appeal, start time.Time) *time.Time {
	if d, ok := s.limit(a, huying.StageClose, start); ok {
		return &d.DueAt
	}
	return nil
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
