package huying

import (
	"context"
	"net/netip"
	"time"
)

// Notice channels.
const (
	NoticeSMS     = "sms"
	NoticeWebhook = "webhook"
)

// Notice is one message in the outbox (通知发件箱), written in the same
// transaction as the event that causes it and sent later by the
// dispatcher. (EventID, Channel, Recipient) is unique, so an event never
// notifies one recipient twice.
type Notice struct {
	ID        int64      `json:"id"`
	EventID   int64      `json:"event_id"`
	Channel   string     `json:"channel"`   // sms | webhook
	Recipient string     `json:"recipient"` // a phone number, or a webhook id
	Template  string     `json:"template"`  // 受理告知, 办理告知, 回访邀请, 催办, 督办, or the event kind for webhooks
	Payload   string     `json:"payload"`   // the SMS text, or the webhook's JSON body
	Attempts  int        `json:"attempts"`
	NextAt    *time.Time `json:"next_at,omitempty"` // nil once sent or given up
	SentAt    *time.Time `json:"sent_at,omitempty"`
	LastError string     `json:"last_error,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// Webhook is a subscriber to appeal events, signed with its own secret.
type Webhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// DisabledAt is set while the subscriber gets nothing: disabled by an
	// admin (DisabledReason "admin") or suspended after repeated delivery
	// failures ("failing").
	DisabledAt     *time.Time `json:"disabled_at,omitempty"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
}

// Webhook disable reasons.
const (
	WebhookDisabledByAdmin = "admin"
	WebhookSuspended       = "failing"
)

// PrivateAddr reports whether a is an address a webhook must not reach
// unless private targets are allowed: loopback, private, link-local,
// unspecified, multicast and unique-local ranges.
func PrivateAddr(a netip.Addr) bool {
	a = a.Unmap()
	return !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsUnspecified() || a.IsMulticast() || a.IsInterfaceLocalMulticast()
}

// OutboxStore is the dispatcher's side of the outbox.
type OutboxStore interface {
	// ClaimNotices takes up to limit notices whose NextAt has come and moves
	// their NextAt to now+lease, so that no other dispatcher takes them
	// while they are being sent; a crash leaves them to be retried after the lease.
	ClaimNotices(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Notice, error)
	// FinishNotice records an attempt: sent (SentAt set, NextAt nil), or
	// failed (Attempts, NextAt, LastError). Returns ECONFLICT if another
	// dispatcher recorded an attempt meanwhile.
	FinishNotice(ctx context.Context, n *Notice, attempts int) error
	// OutboxBacklog counts notices not yet sent and not given up.
	OutboxBacklog(ctx context.Context) (int, error)
	// Webhooks lists the subscribers.
	Webhooks(ctx context.Context) ([]*Webhook, error)
	// SuspendWebhook disables a subscriber whose deliveries keep failing
	// (reason WebhookSuspended), unless it is disabled already.
	SuspendWebhook(ctx context.Context, id int64, at time.Time) error
}

// NoticeTx fills the outbox and keeps its subscribers: webhooks and residents subscribed to an appeal.
type NoticeTx interface {
	// EnqueueNotice adds a notice to the outbox unless the event already
	// has one for that channel and recipient.
	EnqueueNotice(n *Notice) error
	// EnqueueNotices is EnqueueNotice for many.
	EnqueueNotices(ns []*Notice) error
	// Webhooks reads the webhook subscribers.
	Webhooks() ([]*Webhook, error)
	// CreateWebhook adds a subscriber and sets its ID.
	CreateWebhook(w *Webhook) error
	// SetWebhookDisabled disables (at, reason) or enables (nil) a
	// subscriber. Returns ENOTFOUND.
	SetWebhookDisabled(id int64, at *time.Time, reason string) error
	// DeleteWebhook removes a subscriber. Returns ENOTFOUND.
	DeleteWebhook(id int64) error
	// Subscribe records that phone wants every step of an appeal (idempotent).
	Subscribe(appealID int64, phone string, at time.Time) error
	// Subscribers returns the phones subscribed to an appeal.
	Subscribers(appealID int64) ([]string, error)
}
