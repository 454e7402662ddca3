package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"huying/internal/sqlstore"
	"huying/internal/startstop"
)

// JournalSizeLimit is the journal_size_limit pragma (64 MiB): after a
// checkpoint has copied the whole WAL into the database, the next writer
// starts the WAL again from its beginning and truncates the file to this
// size. Without it (SQLite's default is no limit) a WAL that grew behind
// one long reader — 6.7 GB once — keeps its size for ever.
const JournalSizeLimit = 64 << 20

// Checkpoint copies the WAL into the database and truncates it to zero
// bytes, without waiting: it runs wal_checkpoint(TRUNCATE) on the writer's
// connection with busy_timeout 0, so a reader still using the WAL makes it
// give up at once (busy) instead of holding the write lock for the busy
// timeout. frames and done are the WAL's frames and those copied.
func Checkpoint(ctx context.Context, db *sqlstore.DB) (busy bool, frames, done int, err error) {
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return false, 0, 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return false, 0, 0, err
	}
	// Restore the pool's busy_timeout whatever happens: the connection
	// goes back to the writer pool.
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeout))
	var b int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&b, &frames, &done); err != nil {
		return false, 0, 0, err
	}
	return b != 0, frames, done, nil
}

// Checkpointer runs Checkpoint every Interval. SQLite's own automatic
// checkpoints (every 1000 pages, after a commit) are PASSIVE and never
// shrink the file; this one truncates it whenever no reader is in the way,
// and journal_size_limit bounds it when one always is.
type Checkpointer struct {
	DB       *sqlstore.DB
	Interval time.Duration // default one minute
	Logger   *slog.Logger

	loop startstop.Loop
}

// Start checkpoints every Interval in the background until Stop.
func (c *Checkpointer) Start(ctx context.Context) error {
	if c.Interval <= 0 {
		c.Interval = time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c.loop.Start(ctx, c.Interval, false, func(ctx context.Context) {
		busy, frames, done, err := Checkpoint(ctx, c.DB)
		switch {
		case err != nil && ctx.Err() == nil:
			c.Logger.Warn("checkpoint failed", slog.String("component", "checkpointer"), slog.Any("error", err))
		case busy:
			c.Logger.Debug("checkpoint waits for a reader", slog.String("component", "checkpointer"), slog.Int("frames", frames), slog.Int("done", done))
		}
	})
}

// Stop stops the loop and waits for a running checkpoint. It is idempotent.
func (c *Checkpointer) Stop() { c.loop.Stop() }
