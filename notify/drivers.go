package notify

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"huying"
)

// SMSLog is the development SMS driver: it appends each message as a JSON
// line to a file instead of sending it, and skips notices already in the
// file, so a resend after a crash writes nothing twice.
type SMSLog struct {
	Path string

	mu   sync.Mutex
	seen map[int64]bool
}

// SMSMessage is one message of the SMS log, one JSON line each.
type SMSMessage struct {
	ID   int64     `json:"id"`
	To   string    `json:"to"`
	Kind string    `json:"kind"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Send writes the message unless its id is already in the log.
func (l *SMSLog) Send(_ context.Context, n *huying.Notice) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		if err := l.load(); err != nil {
			return err
		}
	}
	if l.seen[n.ID] {
		return nil
	}
	f, err := os.OpenFile(l.Path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	b, _ := json.Marshal(SMSMessage{ID: n.ID, To: n.Recipient, Kind: n.Template, Text: n.Payload, At: time.Now().UTC()})
	if _, err := f.Write(append(b, '\n')); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	l.seen[n.ID] = true
	return nil
}

func (l *SMSLog) load() error {
	l.seen = map[int64]bool{}
	f, err := os.Open(l.Path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line SMSMessage
		if json.Unmarshal(sc.Bytes(), &line) == nil {
			l.seen[line.ID] = true
		}
	}
	return sc.Err()
}

// ReadSMSLog returns the messages in an SMS log file, in order.
func ReadSMSLog(path string) ([]SMSMessage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []SMSMessage
	for line := range bytes.SplitSeq(bytes.TrimSpace(b), []byte("\n")) {
		var s SMSMessage
		if len(line) > 0 && json.Unmarshal(line, &s) == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// Webhooks posts each notice's JSON body to its subscriber, signed with
// the subscriber's secret: header X-Huying-Signature is "sha256=" and the
// hex HMAC-SHA256 of the body; X-Huying-Delivery is the notice id.
// Receivers de-duplicate on event_id in the body (delivery is at least once).
type Webhooks struct {
	Store  huying.OutboxStore
	Client *http.Client
	// AllowPrivate lets deliveries reach loopback and private addresses;
	// otherwise every address the host resolves to is checked as it is dialled.
	AllowPrivate bool
	// SuspendAfter consecutive failures suspend a subscriber (default 10).
	SuspendAfter int
	Logger       *slog.Logger

	fails map[int64]int // consecutive failures per subscriber

	// The subscriber list is read once per batch, not once per notice.
	mu      sync.Mutex
	hooks   map[string]*huying.Webhook
	expires time.Time
}

// hook returns the subscriber with id, reading the list at most every ten seconds.
func (w *Webhooks) hook(ctx context.Context, id string) (*huying.Webhook, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if h, ok := w.hooks[id]; ok && time.Now().Before(w.expires) {
		return h, nil
	}
	list, err := w.Store.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	w.hooks, w.expires = map[string]*huying.Webhook{}, time.Now().Add(10*time.Second)
	for _, h := range list {
		w.hooks[strconv.FormatInt(h.ID, 10)] = h
	}
	return w.hooks[id], nil
}

// Sign returns the signature header value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Send posts the notice; any status but 2xx is a failure to retry.
func (w *Webhooks) Send(ctx context.Context, n *huying.Notice) error {
	hook, err := w.hook(ctx, n.Recipient)
	if err != nil {
		return err
	}
	if hook == nil {
		return Quiet(fmt.Errorf("webhook %s no longer exists", n.Recipient))
	}
	if hook.DisabledAt != nil {
		return Quiet(fmt.Errorf("webhook %d is disabled (%s)", hook.ID, hook.DisabledReason))
	}
	err = w.post(ctx, hook, n)
	w.track(ctx, hook, err)
	if err != nil {
		return Quiet(err)
	}
	return nil
}

// track counts a subscriber's consecutive failures and logs only changes
// of state: failing, suspended (after SuspendAfter), healthy again.
func (w *Webhooks) track(ctx context.Context, hook *huying.Webhook, err error) {
	if w.count(hook.ID, err) != w.suspendAfter() {
		return
	}
	// The write is outside the lock: other subscribers keep being served.
	now := time.Now().UTC()
	if serr := w.Store.SuspendWebhook(ctx, hook.ID, now); serr != nil {
		w.log(slog.LevelError, "webhook could not be suspended", hook, serr)
		return
	}
	w.mu.Lock()
	hook.DisabledAt, hook.DisabledReason = &now, huying.WebhookSuspended
	w.mu.Unlock()
	w.log(slog.LevelWarn, "webhook suspended after repeated failures", hook, err)
}

func (w *Webhooks) suspendAfter() int {
	if w.SuspendAfter <= 0 {
		return 10
	}
	return w.SuspendAfter
}

// count records a delivery's outcome and returns the subscriber's
// consecutive failures, logging a turn to failing or back to healthy.
func (w *Webhooks) count(id int64, err error) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fails == nil {
		w.fails = map[int64]int{}
	}
	before := w.fails[id]
	if err == nil {
		delete(w.fails, id)
		if before > 0 {
			w.logID(slog.LevelInfo, "webhook healthy again", id, nil)
		}
		return 0
	}
	w.fails[id] = before + 1
	if before == 0 {
		w.logID(slog.LevelWarn, "webhook failing", id, err)
	}
	return before + 1
}

func (w *Webhooks) log(level slog.Level, msg string, hook *huying.Webhook, err error) {
	w.logID(level, msg, hook.ID, err)
}

func (w *Webhooks) logID(level slog.Level, msg string, id int64, err error) {
	if w.Logger != nil {
		w.Logger.Log(context.Background(), level, msg, slog.String("component", "notify"), slog.Int64("webhook", id), slog.Any("error", err))
	}
}

// dialer refuses private addresses at connect time (after DNS), so that a
// name that resolves to the internal network cannot be used.
func (w *Webhooks) client() *http.Client {
	if w.Client != nil {
		return w.Client
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !w.AllowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || huying.PrivateAddr(ap.Addr()) {
				return fmt.Errorf("webhook target %s is a private address", address)
			}
			return nil
		}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

func (w *Webhooks) post(ctx context.Context, hook *huying.Webhook, n *huying.Notice) error {
	body := []byte(n.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Huying-Signature", Sign(hook.Secret, body))
	req.Header.Set("X-Huying-Delivery", strconv.FormatInt(n.ID, 10))
	resp, err := w.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// quietError is a failure its driver logs itself (once per change of
// state); the dispatcher does not log it per notice.
type quietError struct{ error }

func (q quietError) Unwrap() error { return q.error }

// Quiet marks err as logged by its driver.
func Quiet(err error) error { return quietError{err} }
