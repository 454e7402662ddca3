package notify_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"huying"
	"huying/notify"
	"huying/sqlite"
	"huying/storetest"
)

func setup(t *testing.T) (*storetest.Fixture, huying.Store, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return storetest.MustFixture(t, db), db, dir
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type flaky struct{ fails atomic.Int32 }

func (f *flaky) Send(context.Context, *huying.Notice) error {
	if f.fails.Add(-1) >= 0 {
		return errors.New("gateway down")
	}
	return nil
}

// TestRetryBackoff fails a notice twice, then sends it; the waits double.
func TestRetryBackoff(t *testing.T) {
	t.Parallel()
	f, s, _ := setup(t)
	f.MustReceive(t, storetest.Intake(huying.TypeHelp))
	drv := &flaky{}
	drv.fails.Store(2)
	now := f.Clock.T
	d := &notify.Dispatcher{Store: s, Drivers: map[string]notify.Driver{huying.NoticeSMS: drv}, Now: func() time.Time { return now }, Logger: quiet}
	for i, want := range []struct{ sent, failed int }{{0, 1}, {0, 0}, {0, 1}, {1, 0}} {
		sent, failed, err := d.RunOnce(context.Background())
		if err != nil || sent != want.sent || failed != want.failed {
			t.Fatalf("round %d: sent %d failed %d (%v), want %+v", i, sent, failed, err, want)
		}
		switch i {
		case 0:
			now = now.Add(5 * time.Second) // before the 10 s backoff: nothing due
		case 1:
			now = now.Add(6 * time.Second) // past 10 s: retried, fails again
		case 2:
			now = now.Add(21 * time.Second) // past the doubled 20 s
		}
	}
	if n, _ := s.OutboxBacklog(context.Background()); n != 0 {
		t.Fatalf("backlog %d after sending", n)
	}
	if got := notify.Backoff(20); got != time.Hour {
		t.Fatalf("backoff caps at %v, want 1h", got)
	}
}

// TestCrashBetweenSendAndMark sends a notice, "crashes" before recording
// it, and lets a new dispatcher retry after the lease: the log has it once.
func TestCrashBetweenSendAndMark(t *testing.T) {
	t.Parallel()
	f, s, dir := setup(t)
	for range 3 {
		f.MustReceive(t, storetest.Intake(huying.TypeHelp))
	}
	path := filepath.Join(dir, "sms.log")
	now := f.Clock.T
	claimed, err := s.ClaimNotices(context.Background(), now, time.Minute, 10)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claim: %d %v", len(claimed), err)
	}
	first := &notify.SMSLog{Path: path}
	for _, n := range claimed[:2] {
		if err := first.Send(context.Background(), n); err != nil { // sent, never marked: the process dies here
			t.Fatal(err)
		}
	}
	later := now.Add(2 * time.Minute) // the lease has run out
	d := &notify.Dispatcher{Store: s, Drivers: map[string]notify.Driver{huying.NoticeSMS: &notify.SMSLog{Path: path}},
		Now: func() time.Time { return later }, Logger: quiet}
	if sent, _, err := d.RunOnce(context.Background()); err != nil || sent != 3 {
		t.Fatalf("after restart sent %d (%v), want 3", sent, err)
	}
	msgs, err := notify.ReadSMSLog(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, m := range msgs {
		seen[m.ID]++
		if m.Kind != "受理告知" || m.To != "13800138000" {
			t.Errorf("unexpected message %+v", m)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("%d distinct notices in the log, want 3", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("notice %d written %d times", id, n)
		}
	}
}

// TestWebhookSigned delivers events to a subscriber and checks the HMAC.
func TestWebhookSigned(t *testing.T) {
	t.Parallel()
	f, s, _ := setup(t)
	const secret = "subscriber-secret-123"
	var got atomic.Int32
	var bad atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Huying-Signature") != notify.Sign(secret, body) {
			bad.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got.Add(1)
	}))
	defer srv.Close()
	if _, err := f.Svc.CreateWebhook(context.Background(), f.Actors["admin"], srv.URL, secret); err != nil {
		t.Fatal(err)
	}
	f.MustAppealIn(t, huying.StatusSigned, "")
	now := f.Clock.T
	d := &notify.Dispatcher{Store: s, Drivers: map[string]notify.Driver{
		huying.NoticeWebhook: &notify.Webhooks{Store: s, AllowPrivate: true},
		huying.NoticeSMS:     &notify.SMSLog{Path: filepath.Join(t.TempDir(), "sms.log")},
	}, Now: func() time.Time { return now }, Logger: quiet}
	if _, failed, err := d.RunOnce(context.Background()); err != nil || failed != 0 {
		t.Fatalf("run: failed %d %v", failed, err)
	}
	if got.Load() != 3 || bad.Load() != 0 { // receive, dispatch, sign
		t.Fatalf("subscriber got %d good and %d bad deliveries, want 3 and 0", got.Load(), bad.Load())
	}
}
