package notify_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
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
