package startstop

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestLoop: work runs at once when asked, then every interval; Stop waits
// for a running tick and is idempotent; a second Start is refused; a
// stopped loop starts again.
func TestLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l Loop
		var ticks atomic.Int32
		work := func(ctx context.Context) {
			ticks.Add(1)
			select { // a tick that takes a while, cut short by Stop
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
		}
		if err := l.Start(context.Background(), time.Minute, true, work); err != nil {
			t.Fatal(err)
		}
		if err := l.Start(context.Background(), time.Minute, true, work); !errors.Is(err, ErrStarted) {
			t.Fatalf("second start: %v", err)
		}
		synctest.Wait()
		if n := ticks.Load(); n != 1 {
			t.Fatalf("%d ticks at start, want 1", n)
		}
		time.Sleep(3*time.Minute + time.Second)
		synctest.Wait()
		if n := ticks.Load(); n != 4 {
			t.Fatalf("%d ticks after three intervals, want 4", n)
		}
		l.Stop()
		l.Stop()
		time.Sleep(5 * time.Minute)
		if n := ticks.Load(); n != 4 {
			t.Fatalf("%d ticks after Stop, want 4", n)
		}
		if err := l.Start(context.Background(), time.Minute, false, work); err != nil {
			t.Fatalf("restart: %v", err)
		}
		time.Sleep(time.Minute + time.Second)
		synctest.Wait()
		l.Stop()
		if n := ticks.Load(); n != 5 {
			t.Fatalf("%d ticks after a restart without the immediate tick, want 5", n)
		}
	})
}

// TestLoopStopsWithContext: cancelling the context it was started with
// ends the loop too.
func TestLoopStopsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l Loop
		var ticks atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		if err := l.Start(ctx, time.Second, false, func(context.Context) { ticks.Add(1) }); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2500 * time.Millisecond)
		cancel()
		synctest.Wait()
		time.Sleep(10 * time.Second)
		if n := ticks.Load(); n != 2 {
			t.Fatalf("%d ticks, want 2", n)
		}
		l.Stop()
	})
}

type stopper struct {
	name string
	log  *[]string
}

func (s stopper) Stop() { *s.log = append(*s.log, s.name) }

// TestGroup stops in the reverse of the order of Add, once.
func TestGroup(t *testing.T) {
	var log []string
	var g Group
	for _, n := range []string{"sweeper", "dispatcher", "metrics"} {
		g.Add(stopper{n, &log})
	}
	g.Stop()
	g.Stop()
	if got := len(log); got != 3 || log[0] != "metrics" || log[2] != "sweeper" {
		t.Fatalf("stop order %v", log)
	}
}
