package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"huying"
)

// SMSGateway sends SMS through an HTTP gateway (the district's or a
// carrier's): each message is POSTed to URL as JSON {id, phone, text,
// template}, signed so that the gateway can tell it came from Huying and
// was not replayed: X-Huying-Key-Id names the key, X-Huying-Timestamp is
// the Unix time, and X-Huying-Signature is "sha256=" and the hex
// HMAC-SHA256 under Secret of the timestamp, a newline and the body. The
// gateway de-duplicates on id (delivery is at least once). Texts are never
// logged or written to a file.
type SMSGateway struct {
	URL    string
	KeyID  string
	Secret string
	Client *http.Client
	Now    func() time.Time
}

// GatewayMessage is the JSON body of a gateway request.
type GatewayMessage struct {
	ID       int64  `json:"id"`
	Phone    string `json:"phone"`
	Text     string `json:"text"`
	Template string `json:"template"`
}

// SignGateway returns the signature of a gateway request.
func SignGateway(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n"))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Send posts one message; any status but 2xx is a failure to retry.
func (g *SMSGateway) Send(ctx context.Context, n *huying.Notice) error {
	body, err := json.Marshal(GatewayMessage{ID: n.ID, Phone: n.Recipient, Text: n.Payload, Template: n.Template})
	if err != nil {
		return err
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Huying-Key-Id", g.KeyID)
	req.Header.Set("X-Huying-Timestamp", ts)
	req.Header.Set("X-Huying-Signature", SignGateway(g.Secret, ts, body))
	client := g.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}
