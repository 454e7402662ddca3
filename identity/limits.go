package identity

import (
	"sync"
	"time"

	"huying"
	"huying/ratelimit"
)

// Limits on what an outsider can try, per node (see docs/SECURITY.md).
const (
	// CodesPerIPHour is how many SMS codes one address may ask for an hour.
	CodesPerIPHour = 10
	// DefaultSMSPerMinute is the node's ceiling on verification SMS a
	// minute, against SMS pumping (Service.SMSPerMinute overrides it).
	DefaultSMSPerMinute = 60
)

// limits are the service's counters of tries; made on first use.
type limits struct {
	once     sync.Once
	tokens   *ratelimit.Window // requests per API token a minute
	codesIP  *ratelimit.Window // SMS codes per IP an hour
	codesAll *ratelimit.Window // SMS codes of the node a minute
}

func (s *Service) tries() *limits {
	s.lim.once.Do(func() {
		now := func() time.Time { return s.now() }
		s.lim.tokens = ratelimit.New(now)
		s.lim.codesIP = ratelimit.NewPeriod(now, time.Hour)
		s.lim.codesAll = ratelimit.New(now)
	})
	return &s.lim
}

// allowToken counts a request of a token against its rate.
func (s *Service) allowToken(rate int, tk *huying.APIToken) error {
	if !s.tries().tokens.Allow(tk.Prefix, rate) {
		return huying.Errorf(huying.ETOOMANY, "渠道「%s」的请求超过约定速率（每分钟 %d 次），请稍后再试", tk.Channel, rate)
	}
	return nil
}
