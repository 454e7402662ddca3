// Package identity is who may act in Huying: the units of the district
// tree, staff users and their passwords, login sessions and their
// throttle, channels' API tokens and their rates, and residents' SMS
// codes. Every change is a transaction with its event on the admin chain.
// The appeal services (package workflow) take the Actor it returns.
package identity

import (
	"context"
	"sync"
	"time"

	"huying"
)

// Service is the identity service.
type Service struct {
	Store huying.Store
	// Now is the clock; tests inject their own.
	Now func() time.Time
	// PasswordCost is the bcrypt cost of new passwords; tests lower it.
	PasswordCost int
	// NoticeSign starts every SMS (短信签名), such as 【坪山区民生诉求】.
	NoticeSign string
	// SMSPerMinute caps the verification SMS the node sends a minute; zero
	// means DefaultSMSPerMinute.
	SMSPerMinute int
	// ChannelRate returns a channel's agreed requests a minute (0: none
	// agreed, DefaultTokenRate applies); nil for none.
	ChannelRate func(ctx context.Context, channel string) int
	// UsersChanged, if set, is called after a user was added or changed
	// (the appeal service's cache of staff to notify).
	UsersChanged func()

	lim        limits        // counters of tries (tokens, SMS)
	principals sync.Map      // user id → *huying.User of a channel principal
	unknown    unknownLogins // login throttle of names without an account
	dummyOnce  sync.Once
	dummy      []byte // bcrypt hash compared for unknown names
}

// New returns an identity service on store with the default clock.
func New(store huying.Store) *Service {
	return &Service{Store: store, Now: time.Now, PasswordCost: 10, NoticeSign: "【民生诉求】"}
}

// Appeals is what the identity service asks of the appeal service beside
// it (workflow.Service): a channel's agreed token rate, and a word when a
// user changed so that its cache of staff to notify is read afresh.
type Appeals interface {
	ChannelRate(ctx context.Context, channel string) int
	UsersChanged()
}

// Beside returns an identity service on store wired to the appeal service
// app, as serve wires them.
func Beside(store huying.Store, app Appeals) *Service {
	s := New(store)
	s.ChannelRate, s.UsersChanged = app.ChannelRate, app.UsersChanged
	return s
}

// now returns the clock's time in UTC truncated to microseconds, the
// precision both databases keep, so that event hashes survive a round trip.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// usersChanged tells the appeal service that a user changed.
func (s *Service) usersChanged() {
	if s.UsersChanged != nil {
		s.UsersChanged()
	}
}

// centreID returns the district centre's unit id read through tx.
func centreID(tx huying.Tx) (string, error) {
	units, err := tx.Units()
	if err != nil {
		return "", err
	}
	return huying.CentreID(units), nil
}
