package notify_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/notify"
)

// receiver is a local SMS gateway that checks the signature and the clock.
func receiver(t *testing.T, secret string, got chan<- notify.GatewayMessage) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get("X-Huying-Timestamp")
		sec, err := strconv.ParseInt(ts, 10, 64)
		want := notify.SignGateway(secret, ts, body)
		if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute || r.Header.Get("X-Huying-Key-Id") != "huying-1" ||
			!hmac.Equal([]byte(r.Header.Get("X-Huying-Signature")), []byte(want)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var m notify.GatewayMessage
		if json.Unmarshal(body, &m) != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		got <- m
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSMSGateway: a signed message reaches the gateway; a wrong secret is
// refused by it and reported as a failure to retry.
func TestSMSGateway(t *testing.T) {
	t.Parallel()
	got := make(chan notify.GatewayMessage, 2)
	srv := receiver(t, "gateway-secret", got)
	n := &huying.Notice{ID: 7, Channel: huying.NoticeSMS, Recipient: "13800138000", Template: "验证码", Payload: "您的验证码是 123456"}
	g := &notify.SMSGateway{URL: srv.URL, KeyID: "huying-1", Secret: "gateway-secret"}
	if err := g.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if m := <-got; m.ID != 7 || m.Phone != "13800138000" || m.Text != n.Payload {
		t.Fatalf("gateway got %+v", m)
	}
	bad := &notify.SMSGateway{URL: srv.URL, KeyID: "huying-1", Secret: "wrong"}
	if err := bad.Send(context.Background(), n); err == nil {
		t.Fatal("a badly signed message was accepted")
	}
}

// TestSMSLogIsPrivate: the development log is readable by its owner only.
func TestSMSLogIsPrivate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sms.log")
	l := &notify.SMSLog{Path: path}
	if err := l.Send(context.Background(), &huying.Notice{ID: 1, Recipient: "13800138000", Payload: "验证码 1"}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("sms.log mode %v %v, want 0600", st.Mode().Perm(), err)
	}
}

// TestWebhookRefusesPrivateTargets: without AllowPrivate a delivery to a
// loopback receiver is refused at connect time.
func TestWebhookRefusesPrivateTargets(t *testing.T) {
	t.Parallel()
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	t.Cleanup(srv.Close)
	w := &notify.Webhooks{Store: fakeHooks{url: srv.URL}}
	if err := w.Send(context.Background(), &huying.Notice{ID: 1, Recipient: "1", Payload: "{}"}); err == nil || hits != 0 {
		t.Fatalf("delivery to loopback: %v, %d hits", err, hits)
	}
}

type fakeHooks struct {
	huying.OutboxStore
	url string
}

func (f fakeHooks) Webhooks(context.Context) ([]*huying.Webhook, error) {
	return []*huying.Webhook{{ID: 1, URL: f.url, Secret: "0123456789abcdef"}}, nil
}

func (f fakeHooks) SuspendWebhook(context.Context, int64, time.Time) error { return nil }

// TestWebhookSuspendedAfterFailures: after SuspendAfter failures in a row
// the subscriber is suspended once, with one log line per change of
// state, and nothing more is posted to it.
func TestWebhookSuspendedAfterFailures(t *testing.T) {
	t.Parallel()
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits++
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	store := &suspendingHooks{fakeHooks: fakeHooks{url: srv.URL}}
	var logs bytes.Buffer
	w := &notify.Webhooks{Store: store, AllowPrivate: true, SuspendAfter: 3, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	for i := range 6 {
		if err := w.Send(context.Background(), &huying.Notice{ID: int64(i), Recipient: "1", Payload: "{}"}); err == nil {
			t.Fatalf("send %d succeeded", i)
		}
	}
	if hits != 3 || store.suspended != 1 {
		t.Fatalf("%d posts, %d suspensions; want 3 and 1", hits, store.suspended)
	}
	if n := strings.Count(logs.String(), "level="); n != 2 {
		t.Fatalf("%d log lines, want 2 (failing, suspended):\n%s", n, logs.String())
	}
}

type suspendingHooks struct {
	fakeHooks
	suspended int
}

func (s *suspendingHooks) SuspendWebhook(context.Context, int64, time.Time) error {
	s.suspended++
	return nil
}
