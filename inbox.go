package huying

import (
	"context"
	"time"
)

// NoticeConsole is the in-console channel (站内通知): the outbox row's
// recipient is a staff user's id and its payload an InboxPayload; it is
// delivered as it is written (SentAt set, never claimed by the dispatcher)
// and shown in the user's inbox, live through the console's stream.
const NoticeConsole = "console"

// InboxPayload is what an in-console notice carries.
type InboxPayload struct {
	Text     string `json:"text"`
	AppealID int64  `json:"appeal_id"`
	Code     string `json:"code"`
}

// InboxItem is one in-console notice of a user.
type InboxItem struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"` // the notice's template: 派单通知, 吹哨报到, 挂牌督办, 黄灯预警 …
	InboxPayload
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// InboxDelivery is an in-console notice with its recipient, for the live stream.
type InboxDelivery struct {
	UserID int64
	Item   *InboxItem
}

// InboxStore reads and marks the users' in-console notices.
type InboxStore interface {
	// Inbox returns a user's newest in-console notices (only the unread
	// ones when unreadOnly), at most limit, and how many are unread.
	Inbox(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*InboxItem, int, error)
	// InboxSince returns everyone's in-console notices with an id above
	// afterID, oldest first, at most limit.
	InboxSince(ctx context.Context, afterID int64, limit int) ([]InboxDelivery, error)
	// Heads returns the newest event's id and the newest outbox row's id (0 when none).
	Heads(ctx context.Context) (lastEvent, lastNotice int64, err error)
}

// InboxTx marks in-console notices read. Reading a notice is the user's own
// view, not a change of any appeal: it has no event.
type InboxTx interface {
	// MarkRead marks a user's notices read (all of them when ids is empty)
	// and returns how many it changed. Another user's ids change nothing.
	MarkRead(userID int64, ids []int64, at time.Time) (int, error)
}
