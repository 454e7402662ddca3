// Package startstop is the one base of Huying's background services (the
// sweeper, the notice dispatcher, the audit and SQLite checkpointers, the
// metrics snapshot, the scheduled retrain), after river's startstop: a
// Loop runs a service's work on a ticker and is started once and stopped
// once, and a Group stops services in the reverse of the order they
// started, so that serve shuts down in order.
package startstop

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrStarted is returned by Start on a loop that is running.
var ErrStarted = errors.New("already started")

// Loop runs work every interval in one background goroutine. The zero
// value is ready to use.
type Loop struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start runs work in the background, at once when immediate, then every
// interval until Stop or until ctx is done. Work gets a context that Stop
// cancels; a tick that runs long delays the next one rather than
// overlapping it. Returns ErrStarted if the loop is running.
func (l *Loop) Start(ctx context.Context, interval time.Duration, immediate bool, work func(context.Context)) error {
	if interval <= 0 {
		return errors.New("startstop: the interval must be positive")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cancel != nil {
		return ErrStarted
	}
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Go(func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		if immediate {
			work(ctx)
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				work(ctx)
			}
		}
	})
	return nil
}

// Stop cancels the loop's context and waits for a running tick to end. It
// is idempotent, and a stopped loop may be started again.
func (l *Loop) Stop() {
	l.mu.Lock()
	cancel := l.cancel
	l.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	l.wg.Wait()
	l.mu.Lock()
	l.cancel = nil
	l.mu.Unlock()
}

// Stopper is a started service.
type Stopper interface{ Stop() }

// Group stops services in the reverse of the order they were added (the
// order they started). The zero value is ready to use.
type Group struct {
	mu   sync.Mutex
	list []Stopper
}

// Add records a started service.
func (g *Group) Add(s Stopper) {
	g.mu.Lock()
	g.list = append(g.list, s)
	g.mu.Unlock()
}

// Stop stops every service, the last added first. It is idempotent.
func (g *Group) Stop() {
	g.mu.Lock()
	list := g.list
	g.list = nil
	g.mu.Unlock()
	for i := len(list) - 1; i >= 0; i-- {
		list[i].Stop()
	}
}
