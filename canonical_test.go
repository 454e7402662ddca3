package huying_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"huying"
)

// TestCanonicalFixed pins the encodings that stored hashes cover (an
// event's canonical form, an appeal's state digest) to their definition,
// "%d:%s;" per field as fmt writes it, so that the faster encoder can never
// change what a stored chain means.
func TestCanonicalFixed(t *testing.T) {
	t.Parallel()
	e := &huying.Event{Chain: "appeal:7", Seq: 2, AppealID: 7, Kind: "dispatch", ActorID: 3, Actor: "dispatcher", UnitID: "centre",
		FromStatus: huying.StatusReceived, ToStatus: huying.StatusDispatched, Note: "派往城管", Data: `{"lead":"dept-a"}`,
		At: time.Date(2026, 9, 28, 2, 0, 0, 123456000, time.UTC), PrevHash: "ab"}
	var want []byte
	for _, f := range []string{"v1", "appeal:7", "2", "7", "dispatch", "3", "dispatcher", "centre", "received", "dispatched", "派往城管",
		`{"lead":"dept-a"}`, "2026-09-28T02:00:00.123456Z", "ab"} {
		want = fmt.Appendf(want, "%d:%s;", len(f), f)
	}
	if got := e.Canonical(); string(got) != string(want) {
		t.Fatalf("canonical\n%s\nwant\n%s", got, want)
	}
	recv := time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC)
	a := &huying.Appeal{ID: 7, Code: "PS20260928000001", Type: huying.TypeComplaint, Urgency: huying.UrgencyNormal, Channel: "12345热线",
		Title: "噪音", Content: "夜间施工", Address: "和平路", ContactName: "张三", ContactPhone: "13800138000", Status: huying.StatusDispatched,
		Version: 2, ReceivedAt: recv, Assignments: []huying.Assignment{{UnitID: "dept-a", Role: huying.AssignLead}}}
	var fields []byte
	for _, f := range []string{"s1", "7", "PS20260928000001", "投诉", "一般", "12345热线", "噪音", "夜间施工", "和平路", "", "张三", "13800138000",
		"false", "dispatched", "2", "false", "0", "0", "", "", "0", fmt.Sprint(recv.Unix()), "", "", "", "", "", "", "6:dept-a4:lead"} {
		fields = fmt.Appendf(fields, "%d:%s;", len(f), f)
	}
	sum := sha256.Sum256(fields)
	if got := huying.AppealState(a); got != hex.EncodeToString(sum[:]) {
		t.Fatalf("appeal state %s, want %s", got, hex.EncodeToString(sum[:]))
	}
}
