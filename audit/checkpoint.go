package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"huying"
	"huying/internal/startstop"
)

// MinKeyLen is the shortest checkpoint key accepted, in bytes.
const MinKeyLen = 16

// DefaultInterval is how often serve writes a checkpoint by default.
const DefaultInterval = 10 * time.Minute

// Sign returns the hex HMAC-SHA256 of the checkpoint with key.
func Sign(key []byte, c *huying.Checkpoint) string {
	m := hmac.New(sha256.New, key)
	m.Write(c.Message())
	return hex.EncodeToString(m.Sum(nil))
}

// Checkpointer writes a signed checkpoint when it starts and then every
// Interval, and appends each to Log (if set) as one JSON line, so that an
// operator can keep a copy where whoever can write the database cannot.
type Checkpointer struct {
	Store    huying.AuditStore
	Key      []byte
	Interval time.Duration    // default DefaultInterval
	Log      string           // optional file of JSON lines
	Now      func() time.Time // default time.Now
	Logger   *slog.Logger

	loop startstop.Loop
}

// Start starts the loop in the background. Before its first checkpoint it
// logs an error if the key does not sign the newest checkpoint (another
// node with another key, or a lost key): verify would fail on them.
func (c *Checkpointer) Start(ctx context.Context) error {
	if len(c.Key) < MinKeyLen {
		return fmt.Errorf("审计密钥至少 %d 字节", MinKeyLen)
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	var first sync.Once
	return c.loop.Start(ctx, c.Interval, true, func(ctx context.Context) {
		first.Do(func() { c.checkKey(ctx) })
		if _, err := c.Write(ctx); err != nil && ctx.Err() == nil {
			c.Logger.Error("audit checkpoint failed", slog.String("component", "audit"), slog.Any("error", err))
		}
	})
}

// Stop stops the loop and waits for a checkpoint being written. It is idempotent.
func (c *Checkpointer) Stop() { c.loop.Stop() }

func (c *Checkpointer) checkKey(ctx context.Context) {
	err := c.Store.AuditSnapshot(ctx, func(r huying.AuditReader) error {
		last, err := r.LatestCheckpoint()
		if err != nil {
			return err
		}
		if !hmac.Equal([]byte(Sign(c.Key, last)), []byte(last.MAC)) {
			c.Logger.Error("the audit key does not sign the latest checkpoint: every node must use the same key, and audit verify will report it",
				slog.String("component", "audit"), slog.Int64("checkpoint", last.ID))
		}
		return nil
	})
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND && ctx.Err() == nil {
		c.Logger.Warn("audit key check", slog.String("component", "audit"), slog.Any("error", err))
	}
}

// Write writes one checkpoint now and appends it to the log.
func (c *Checkpointer) Write(ctx context.Context) (*huying.Checkpoint, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	cp, err := c.Store.WriteCheckpoint(ctx, now(), func(cp *huying.Checkpoint) string { return Sign(c.Key, cp) })
	if err != nil {
		return nil, err
	}
	if c.Log != "" {
		if err := AppendLog(c.Log, cp); err != nil {
			return cp, err
		}
	}
	if c.Logger != nil {
		c.Logger.Debug("audit checkpoint", slog.String("component", "audit"), slog.Int64("id", cp.ID),
			slog.Int("heads", cp.Heads), slog.Int64("events", cp.Events))
	}
	return cp, nil
}

// AppendLog appends the checkpoint to the file at path as one JSON line
// and syncs it (the file is made 0600 if new).
func AppendLog(path string, cp *huying.Checkpoint) error {
	line, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("checkpoint log: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("checkpoint log: %w", err)
	}
	return nil
}

// ReadLog returns the last checkpoint of a log written by AppendLog.
// Returns ENOTFOUND if the file holds none.
func ReadLog(path string) (*huying.Checkpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取检查点日志：%w", err)
	}
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
			last = append(last[:0], line...)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("读取检查点日志：%w", err)
	}
	if last == nil {
		return nil, huying.Errorf(huying.ENOTFOUND, "检查点日志 %s 中没有检查点", path)
	}
	var cp huying.Checkpoint
	if err := json.Unmarshal(last, &cp); err != nil {
		return nil, fmt.Errorf("检查点日志 %s 的最后一行无法读取：%w", path, err)
	}
	return &cp, nil
}
