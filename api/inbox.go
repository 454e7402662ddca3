package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"huying"
)

func (h *handler) listNotices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := onlyParams(q, "unread", "limit"); err != nil {
		h.writeError(w, r, err)
		return
	}
	unread := false
	switch q.Get("unread") {
	case "":
	case "true":
		unread = true
	default:
		h.writeError(w, r, huying.FieldErrorf("unread", "unread 只能为 true（只列未读通知）"))
		return
	}
	limit, err := queryInt(q, "limit", 200)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	items, n, err := h.inbox.List(r.Context(), actorFrom(r.Context()), unread, limit)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "unread": n})
}

func (h *handler) readNotices(w http.ResponseWriter, r *http.Request) {
	var in struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	n, err := h.inbox.MarkRead(r.Context(), actorFrom(r.Context()), in.IDs, in.All)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"changed": n})
}

// streamKeepAlive is how often an idle stream sends a comment, so that
// proxies keep it open and a dead client is noticed.
const streamKeepAlive = 20 * time.Second

// stream is GET /stream: Server-Sent Events for the logged-in staff user —
// "notice" (a new in-console notice of theirs) and "changed" (something
// changed: lists may reload). The browser's EventSource reconnects by itself
// after retry milliseconds; "hello" opens each connection with the unread count.
func (h *handler) stream(w http.ResponseWriter, r *http.Request) {
	actor := actorFrom(r.Context())
	if !actor.IsStaff() {
		h.writeError(w, r, huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以订阅实时通知"))
		return
	}
	if h.inbox.Hub == nil || !h.inbox.Hub.Running() {
		h.writeError(w, r, huying.Errorf(huying.EUNAVAILABLE, "实时通知暂不可用，请刷新页面查看最新情况"))
		return
	}
	_, unread, err := h.inbox.List(r.Context(), actor, true, 1)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	msgs, done := h.inbox.Hub.Subscribe(actor.User.ID)
	defer done()
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the server's write timeout would end a stream after a minute
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(event string, data any) error {
		b, _ := json.Marshal(data)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		return rc.Flush()
	}
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return
	}
	if write("hello", map[string]any{"unread": unread}) != nil {
		return
	}
	tick := time.NewTicker(streamKeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case m, ok := <-msgs:
			if !ok || write(m.Event, m.Data) != nil {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}
