package workflow

import (
	"sync"
	"time"

	"huying/ratelimit"
)

// Limits on what an outsider can try, per node (see docs/SECURITY.md).
const (
	// TrackWrongPerCode is how many wrong phone digits one tracking code
	// takes an hour before /track refuses it, whoever asks.
	TrackWrongPerCode = 5
	// TrackProofTTL is how long the proof a successful /track hands out
	// lets its holder rate the appeal.
	TrackProofTTL = 15 * time.Minute
)

// limits are the service's counters of tries; made on first use.
type limits struct {
	once       sync.Once
	trackWrong *ratelimit.Window // wrong phone digits per tracking code an hour
}

func (s *Service) tries() *limits {
	s.lim.once.Do(func() {
		s.lim.trackWrong = ratelimit.NewPeriod(func() time.Time { return s.now() }, time.Hour)
	})
	return &s.lim
}
