// Package notify sends the outbox: a Dispatcher leases due notices, hands
// each to the driver of its channel (SMS, webhook), and records the result,
// retrying failures with exponential backoff. The drivers: an SMS driver
// that writes to a log file for development, and signed webhooks.
//
// Delivery: a notice is leased before it is sent and marked after, so a
// crash between the two sends it again when the lease expires. Drivers
// therefore get the notice's id as an idempotency key: the log driver
// skips ids it has already written, a real SMS gateway takes it as the
// message id, and webhook receivers de-duplicate on the event id in the body.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"huying"
	"huying/internal/startstop"
)

// Driver sends one notice. It must be idempotent on n.ID.
type Driver interface {
	Send(ctx context.Context, n *huying.Notice) error
}

// Dispatcher sends due notices on a ticker.
type Dispatcher struct {
	Store   huying.OutboxStore
	Drivers map[string]Driver // by channel
	Now     func() time.Time
	// Interval between polls; Lease is how long a claimed notice is hidden
	// from other dispatchers; MaxAttempts before giving up.
	Interval    time.Duration
	Lease       time.Duration
	MaxAttempts int
	Batch       int
	Logger      *slog.Logger

	loop startstop.Loop
}

func (d *Dispatcher) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Interval <= 0 {
		d.Interval = 2 * time.Second
	}
	if d.Lease <= 0 {
		d.Lease = time.Minute
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 10
	}
	if d.Batch <= 0 {
		d.Batch = 100
	}
}

// Backoff is the wait after the given number of failed attempts: 10 s,
// 20 s, 40 s, … up to an hour.
func Backoff(attempts int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// RunOnce sends one batch of due notices and returns how many were sent
// and how many failed.
func (d *Dispatcher) RunOnce(ctx context.Context) (sent, failed int, err error) {
	d.defaults()
	list, err := d.Store.ClaimNotices(ctx, d.Now().UTC(), d.Lease, d.Batch)
	if err != nil {
		return 0, 0, err
	}
	for _, n := range list {
		before := n.Attempts
		n.Attempts++
		var sendErr error
		if drv, ok := d.Drivers[n.Channel]; ok {
			sendErr = drv.Send(ctx, n)
		} else {
			sendErr = fmt.Errorf("no driver for channel %q", n.Channel)
		}
		now := d.Now().UTC()
		if sendErr == nil {
			n.SentAt, n.NextAt, n.LastError = &now, nil, ""
			sent++
		} else {
			n.LastError = sendErr.Error()
			if n.Attempts >= d.MaxAttempts {
				n.NextAt = nil // given up; kept with its error for the admin
			} else {
				next := now.Add(Backoff(n.Attempts))
				n.NextAt = &next
			}
			failed++
			level := slog.LevelWarn
			if errors.As(sendErr, new(quietError)) {
				level = slog.LevelDebug // the driver logs its own changes of state
			}
			d.Logger.Log(ctx, level, "notice failed", slog.String("component", "notify"), slog.Int64("notice_id", n.ID),
				slog.String("channel", n.Channel), slog.Int("attempts", n.Attempts), slog.Any("error", sendErr))
		}
		if err := d.Store.FinishNotice(ctx, n, before); err != nil && huying.ErrorCode(err) != huying.ECONFLICT {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

// Start polls now and then every Interval in the background until Stop,
// draining the outbox batch by batch at each tick.
func (d *Dispatcher) Start(ctx context.Context) error {
	d.defaults()
	return d.loop.Start(ctx, d.Interval, true, func(ctx context.Context) {
		for {
			sent, failed, err := d.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				d.Logger.Error("outbox", slog.String("component", "notify"), slog.Any("error", err))
			}
			if err != nil || sent+failed < d.Batch {
				return
			}
		}
	})
}

// Stop stops polling and waits for the current batch. It is idempotent.
func (d *Dispatcher) Stop() { d.loop.Stop() }
