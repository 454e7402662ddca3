package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"huying"
)

// Group commit. On SQLite every write transaction holds the one writer
// connection and ends with a WAL write, so concurrent intakes queue behind
// each other's commits. With GroupCommit the writer goroutine takes every
// Update waiting in the queue, runs them in one transaction and commits
// once; a failing Update is isolated by running the group again with a
// savepoint each (see runBatch). Every caller returns only after the
// commit, so nothing is acknowledged before it is durable.

// maxBatch bounds one group so that a burst does not make one commit huge.
const maxBatch = 64

type job struct {
	ctx  context.Context
	fn   func(huying.Tx) error
	done chan error
}

type groupWriter struct {
	mu     sync.RWMutex // held for reading while enqueueing, for writing by stop
	queue  chan *job
	closed bool
	wg     sync.WaitGroup
}

func (db *DB) startGroup() {
	g := &groupWriter{queue: make(chan *job, maxBatch)}
	g.wg.Go(func() {
		for j := range g.queue {
			batch := []*job{j}
		drain:
			for len(batch) < maxBatch {
				select {
				case j, ok := <-g.queue:
					if !ok {
						break drain
					}
					batch = append(batch, j)
				default:
					break drain
				}
			}
			db.runBatch(batch)
		}
	})
	db.group = g
}

func (g *groupWriter) stop() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.queue)
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// enqueue hands fn to the writer and waits for its outcome.
func (g *groupWriter) enqueue(ctx context.Context, fn func(huying.Tx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return fmt.Errorf("database closed: %w", huying.ErrUnavailable)
	}
	select {
	case g.queue <- j:
	case <-ctx.Done():
		g.mu.RUnlock()
		return ctx.Err()
	}
	g.mu.RUnlock()
	return <-j.done // once queued, the job runs: wait for the commit either way
}

func (db *DB) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	defer func() {
		db.prepareWanted(context.Background())
		for i, j := range batch {
			j.done <- errs[i]
		}
	}()
	// Optimistically, every Update of the group succeeds: run them one
	// after another in one transaction without savepoints. Only if one
	// fails is the group rolled back and run again with a savepoint each,
	// so that the failure is isolated (the functions re-read what they
	// change, so running them again is safe).
	if db.runGroup(batch, errs, len(batch) > 1) {
		return
	}
	clear(errs)
	db.runGroup(batch, errs, false)
}

// runGroup runs the batch in one transaction. With optimistic set it
// gives up at the first failing Update (returning false, nothing written);
// otherwise each Update runs in its own savepoint.
func (db *DB) runGroup(batch []*job, errs []error, optimistic bool) bool {
	fail := func(err error) bool {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return true
	}
	sqltx, err := db.W.BeginTx(context.Background(), nil)
	if err != nil {
		return fail(db.err("开始事务", err))
	}
	savepoints := !optimistic && len(batch) > 1
	ok := 0
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if savepoints {
			if _, err := sqltx.Exec(`SAVEPOINT job`); err != nil {
				_ = sqltx.Rollback()
				return fail(fmt.Errorf("savepoint: %w", err))
			}
		}
		// Statements run without the caller's cancellation: interrupting
		// one would roll back the whole group.
		errs[i] = callJob(j.fn, &Tx{runner: runner{db: db, tx: sqltx, ctx: context.WithoutCancel(j.ctx)}})
		if errs[i] != nil && optimistic {
			_ = sqltx.Rollback()
			return false
		}
		if errs[i] == nil {
			ok++
		}
		if savepoints {
			if errs[i] != nil {
				if _, err := sqltx.Exec(`ROLLBACK TO job`); err != nil {
					_ = sqltx.Rollback()
					return fail(fmt.Errorf("rollback to savepoint: %w", err))
				}
			}
			if _, err := sqltx.Exec(`RELEASE job`); err != nil {
				_ = sqltx.Rollback()
				return fail(fmt.Errorf("release savepoint: %w", err))
			}
		}
	}
	if ok == 0 {
		_ = sqltx.Rollback()
		return true
	}
	if err := sqltx.Commit(); err != nil {
		return fail(db.err("提交", err))
	}
	return true
}

// callJob runs fn, turning a panic into an error so one bad Update cannot
// take the writer (and every caller waiting on it) down.
func callJob(fn func(huying.Tx) error, tx huying.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic in transaction: %v", v)
		}
	}()
	return fn(tx)
}
