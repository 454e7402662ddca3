package audit

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"huying"
)

func TestProblemString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Chain: "appeal:12", Seq: 3, AppealID: 12, Message: "内容与其哈希不符"}, "链 appeal:12 第 3 号事件（诉求 12）：内容与其哈希不符"},
		{Problem{Chain: "admin", Message: "没有链头记录"}, "链 admin：没有链头记录"},
		{Problem{AppealID: 7, Message: "x"}, "诉求 7：x"},
		{Problem{Message: "签名不符"}, "检查点：签名不符"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestSignCoversEveryField(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef")
	base := huying.Checkpoint{ID: 3, At: time.Date(2026, 9, 28, 2, 0, 0, 123456000, time.UTC), Root: "ab", Heads: 2, Events: 9}
	mac := Sign(key, &base)
	for name, edit := range map[string]func(c *huying.Checkpoint){
		"id": func(c *huying.Checkpoint) { c.ID++ }, "at": func(c *huying.Checkpoint) { c.At = c.At.Add(time.Microsecond) },
		"root": func(c *huying.Checkpoint) { c.Root = "ac" }, "heads": func(c *huying.Checkpoint) { c.Heads++ },
		"events": func(c *huying.Checkpoint) { c.Events++ },
	} {
		c := base
		edit(&c)
		if Sign(key, &c) == mac {
			t.Errorf("the MAC does not cover %s", name)
		}
	}
	if Sign([]byte("fedcba9876543210"), &base) == mac {
		t.Error("two keys give one MAC")
	}
}

func TestRootHasherOrder(t *testing.T) {
	t.Parallel()
	var r huying.RootHasher
	empty := r.Sum()
	for _, c := range []string{"admin", "appeal:1", "appeal:10", "appeal:2"} {
		if err := r.Add(huying.ChainHead{Chain: c, Seq: 2, Hash: "h"}); err != nil {
			t.Fatal(err)
		}
	}
	if r.Heads != 4 || r.Events != 8 || r.Sum() == empty {
		t.Fatalf("heads %d events %d", r.Heads, r.Events)
	}
	if err := r.Add(huying.ChainHead{Chain: "appeal:1"}); err == nil {
		t.Fatal("a head out of byte order was accepted")
	}
}

func TestLogRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	if _, err := ReadLog(path); err == nil {
		t.Fatal("a missing log was read")
	}
	for id := int64(1); id <= 3; id++ {
		if err := AppendLog(path, &huying.Checkpoint{ID: id, At: time.Date(2026, 9, 28, 2, 0, 0, 5000, time.UTC), Root: "r", MAC: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := ReadLog(path)
	if err != nil || c.ID != 3 || c.At.Nanosecond() != 5000 {
		t.Fatalf("last entry %+v %v", c, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log mode %v %v, want 0600", fi.Mode(), err)
	}
}

// fakeStore records the checkpoints a Checkpointer writes.
type fakeStore struct {
	mu      sync.Mutex
	written []*huying.Checkpoint
	latest  *huying.Checkpoint // what LatestCheckpoint returns first
}

func (f *fakeStore) AuditSnapshot(_ context.Context, fn func(huying.AuditReader) error) error {
	return fn(fakeReader{f: f})
}

func (f *fakeStore) WriteCheckpoint(_ context.Context, at time.Time, sign func(*huying.Checkpoint) string) (*huying.Checkpoint, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &huying.Checkpoint{ID: int64(len(f.written) + 1), At: at, Root: "root", Heads: 1, Events: 1}
	c.MAC = sign(c)
	f.written = append(f.written, c)
	return c, nil
}

func (f *fakeStore) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.written)
}

type fakeReader struct {
	huying.AuditReader // only LatestCheckpoint is used
	f                  *fakeStore
}

func (r fakeReader) LatestCheckpoint() (*huying.Checkpoint, error) {
	if r.f.latest == nil {
		return nil, huying.Errorf(huying.ENOTFOUND, "检查点不存在")
	}
	return r.f.latest, nil
}

// TestCheckpointer: one checkpoint at start, one each interval, each in
// the log; a newest checkpoint the key does not sign is logged; the loop
// ends with its context.
func TestCheckpointer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		store := &fakeStore{latest: &huying.Checkpoint{ID: 9, MAC: "signed with another key"}}
		path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		c := &Checkpointer{Store: store, Key: []byte("0123456789abcdef"), Log: path,
			Logger: slog.New(slog.NewTextHandler(&logs, nil))}
		if err := (&Checkpointer{Store: store, Key: []byte("short")}).Start(t.Context()); err == nil {
			t.Fatal("a short key was accepted")
		}
		ctx, cancel := context.WithCancel(t.Context())
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if n := store.count(); n != 1 {
			t.Fatalf("%d checkpoints at start, want 1", n)
		}
		if !strings.Contains(logs.String(), "does not sign the latest checkpoint") {
			t.Fatalf("no error for a key that does not sign the newest checkpoint: %s", logs.String())
		}
		time.Sleep(DefaultInterval)
		synctest.Wait()
		if n := store.count(); n != 2 {
			t.Fatalf("%d checkpoints after one interval, want 2", n)
		}
		last, err := ReadLog(path)
		if err != nil || last.ID != 2 || last.MAC != Sign(c.Key, last) {
			t.Fatalf("log's last checkpoint %+v %v", last, err)
		}
		cancel()
		c.Stop()
		c.Stop()
		time.Sleep(2 * DefaultInterval)
		if n := store.count(); n != 2 {
			t.Fatalf("%d checkpoints after stop, want 2", n)
		}
	})
}
