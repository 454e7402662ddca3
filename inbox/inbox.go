// Package inbox is the staff's in-console notices (站内通知) and the live
// stream that carries them: the workflow writes a notice for each user an
// event concerns (a new order, a 吹哨 summons, a 挂牌督办, a redo, a yellow
// warning, a 退单 ruling …) in the event's own transaction, in the outbox
// under channel huying.NoticeConsole; this package lists and marks them, and
// its Hub polls the store once a second for new notices and new events and
// hands them to every connected console (GET /api/v1/stream), so that an
// inbox or a queue left open changes without a reload. Polling the store,
// not an in-process bus, keeps it right with several nodes on one database.
package inbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"huying"
	"huying/internal/startstop"
)

// Service lists and marks a user's in-console notices.
type Service struct {
	Store huying.Store
	Now   func() time.Time
	// Hub is the live stream; nil when the server runs none.
	Hub *Hub
}

// New returns the inbox service on store with a hub (not started).
func New(store huying.Store, logger *slog.Logger) *Service {
	return &Service{Store: store, Now: time.Now, Hub: &Hub{Store: store, Logger: logger}}
}

// MaxPage is the most notices List returns.
const MaxPage = 200

func staff(actor huying.Actor) error {
	if !actor.IsStaff() {
		return huying.Errorf(huying.EFORBIDDEN, "只有工作人员有站内通知")
	}
	return nil
}

// List returns the actor's newest notices and the unread count.
func (s *Service) List(ctx context.Context, actor huying.Actor, unreadOnly bool, limit int) ([]*huying.InboxItem, int, error) {
	if err := staff(actor); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 50
	}
	return s.Store.Inbox(ctx, actor.User.ID, unreadOnly, min(limit, MaxPage))
}

// MarkRead marks the actor's notices ids read, or all of them, and returns
// how many changed.
func (s *Service) MarkRead(ctx context.Context, actor huying.Actor, ids []int64, all bool) (int, error) {
	if err := staff(actor); err != nil {
		return 0, err
	}
	if len(ids) == 0 && !all {
		return 0, huying.FieldErrorf("ids", "请指定要标记已读的通知，或用 all 标记全部已读")
	}
	if all {
		ids = nil
	}
	var n int
	err := s.Store.Update(ctx, func(tx huying.Tx) (err error) {
		n, err = tx.MarkRead(actor.User.ID, ids, s.Now())
		return err
	})
	return n, err
}

// Message is one item of the live stream: Event "notice" (Data an
// *huying.InboxItem for its recipient only) or "changed" (Data the newest
// event id: something changed, lists may reload).
type Message struct {
	Event string
	Data  any
}

// Hub polls the store and fans new notices and changes out to subscribers.
type Hub struct {
	Store  huying.InboxStore
	Logger *slog.Logger
	// Interval is how often the hub polls; zero means one second.
	Interval time.Duration

	mu        sync.Mutex
	subs      map[*subscriber]struct{}
	lastEvent int64
	lastNote  int64
	started   bool
	closed    bool
	loop      startstop.Loop
}

type subscriber struct {
	user int64
	ch   chan Message
}

// Subscribe returns the messages for user and a function that ends the
// subscription. A subscriber too slow to take its messages loses them (the
// console reloads on the next "changed").
func (h *Hub) Subscribe(user int64) (<-chan Message, func()) {
	sub := &subscriber{user: user, ch: make(chan Message, 32)}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		close(sub.ch)
		return sub.ch, func() {}
	}
	if h.subs == nil {
		h.subs = map[*subscriber]struct{}{}
	}
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	return sub.ch, func() {
		h.mu.Lock()
		if _, ok := h.subs[sub]; ok {
			delete(h.subs, sub)
			close(sub.ch)
		}
		h.mu.Unlock()
	}
}

// Close ends every subscription, now and later: the server calls it as it
// shuts down, so that open streams do not hold the drain.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for sub := range h.subs {
		close(sub.ch)
	}
	h.subs = nil
}

// Running reports whether the hub polls.
func (h *Hub) Running() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.started
}

// Start polls until Stop, from the store's current heads (nothing older is replayed).
func (h *Hub) Start(ctx context.Context) error {
	ev, note, err := h.Store.Heads(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.lastEvent, h.lastNote, h.started = ev, note, true
	h.mu.Unlock()
	interval := h.Interval
	if interval <= 0 {
		interval = time.Second
	}
	return h.loop.Start(ctx, interval, false, h.Poll)
}

// Stop ends the polling.
func (h *Hub) Stop() {
	h.loop.Stop()
	h.mu.Lock()
	h.started = false
	h.mu.Unlock()
}

// Poll reads what is new since the last poll and sends it.
func (h *Hub) Poll(ctx context.Context) {
	ev, note, err := h.Store.Heads(ctx)
	if err != nil {
		h.logError(err)
		return
	}
	h.mu.Lock()
	since, listened := h.lastNote, len(h.subs) > 0
	if !listened || note <= since {
		// Nobody to tell, or nothing new in the outbox: move on without
		// reading every user's notices.
		h.lastNote = max(h.lastNote, note)
	}
	h.mu.Unlock()
	if !listened || note <= since {
		h.changed(ev)
		return
	}
	news, err := h.Store.InboxSince(ctx, since, 1000)
	if err != nil {
		h.logError(err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range news {
		h.lastNote = max(h.lastNote, d.Item.ID)
		for sub := range h.subs {
			if sub.user == d.UserID {
				send(sub, Message{Event: "notice", Data: d.Item})
			}
		}
	}
	h.changedLocked(ev)
}

// changed tells every subscriber when the newest event moved past the last one told.
func (h *Hub) changed(ev int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.changedLocked(ev)
}

func (h *Hub) changedLocked(ev int64) {
	if ev > h.lastEvent {
		h.lastEvent = ev
		for sub := range h.subs {
			send(sub, Message{Event: "changed", Data: ev})
		}
	}
}

func send(sub *subscriber, m Message) {
	select {
	case sub.ch <- m:
	default: // too slow: drop rather than block every console
	}
}

func (h *Hub) logError(err error) {
	if h.Logger != nil {
		h.Logger.Warn("live stream poll failed", "err", err)
	}
}
