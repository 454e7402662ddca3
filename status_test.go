package huying_test

import (
	"slices"
	"testing"
	"time"

	"huying"
)

// TestTransitionTable checks the table's shape: every command has sources,
// roles and a Chinese name, and every status can be reached and left
// (except archived).
func TestTransitionTable(t *testing.T) {
	t.Parallel()
	reached := map[huying.Status]bool{}
	left := map[huying.Status]bool{}
	for cmd, tr := range huying.Transitions {
		if tr.Name == "" || len(tr.From) == 0 || len(tr.Roles) == 0 {
			t.Errorf("%s: incomplete %+v", cmd, tr)
		}
		for _, to := range tr.To {
			reached[to] = true
		}
		for _, from := range tr.From {
			if len(tr.To) > 0 {
				left[from] = true
			}
		}
	}
	for s := range huying.StatusNames {
		if !reached[s] {
			t.Errorf("no command leads to %s", s)
		}
		if !left[s] && s != huying.StatusArchived {
			t.Errorf("no command leaves %s", s)
		}
	}
}

func TestCheckTransition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd      huying.Command
		from, to huying.Status
		code     string
	}{
		{huying.CmdDispatch, huying.StatusReceived, huying.StatusDispatched, ""},
		{huying.CmdDispatch, huying.StatusSigned, huying.StatusDispatched, huying.ECONFLICT},
		{huying.CmdReview, huying.StatusReplied, huying.StatusHandling, ""},
		{huying.CmdReview, huying.StatusReplied, huying.StatusArchived, huying.ECONFLICT},
		{huying.CmdNote, huying.StatusHandling, huying.StatusHandling, ""},
		{huying.CmdArchive, huying.StatusHandling, huying.StatusArchived, huying.ECONFLICT},
		{"explode", huying.StatusReceived, huying.StatusReceived, huying.EINVALID},
	}
	for _, tt := range tests {
		if got := huying.ErrorCode(huying.CheckTransition(tt.cmd, tt.from, tt.to)); got != tt.code {
			t.Errorf("%s %s→%s: got %q, want %q", tt.cmd, tt.from, tt.to, got, tt.code)
		}
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13812341234": "138****1234", "0755-28881234": "075******1234", "12": "**"} {
		if got := huying.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
	if got := huying.MaskName("欧阳娜娜"); got != "欧***" {
		t.Errorf("MaskName = %q", got)
	}
}

func TestValidPhone(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"13800138000": true, "19912345678": true, "0755-28881234": true, "075528881234": true,
		"12800138000": false, "1380013800": false, "138001380000": false, "+8613800138000": false, "abc": false, "": false,
	} {
		if got := huying.ValidPhone(p); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestEventHash pins the canonical encoding: a change to it would make
// every stored chain fail verification.
func TestEventHash(t *testing.T) {
	t.Parallel()
	e := &huying.Event{Chain: "appeal:1", Seq: 1, AppealID: 1, Kind: "receive", ActorID: 2, Actor: "intake",
		UnitID: "ps-centre", ToStatus: huying.StatusReceived, Data: `{"channel":"12345热线"}`,
		At: time.Date(2026, 11, 29, 8, 0, 0, 123456000, time.UTC)}
	e.Hash = e.ComputeHash()
	if want := "aadc9ac9f6869178c8cae95e39e63dcc3a995853e2cfba5b7af9e65865d9693f"; e.Hash != want {
		t.Fatalf("hash %s, want %s: the canonical encoding changed", e.Hash, want)
	}
	var v huying.ChainVerifier
	if err := v.Check(e); err != nil {
		t.Fatal(err)
	}
	next := &huying.Event{Chain: "appeal:1", Seq: 2, Kind: "dispatch", PrevHash: e.Hash, At: e.At}
	next.Hash = next.ComputeHash()
	if err := v.Check(next); err != nil {
		t.Fatal(err)
	}
	broken := *next
	broken.Seq, broken.Note = 3, "改"
	if err := v.Check(&broken); err == nil {
		t.Fatal("an altered event verified")
	}
	if slices.Equal(e.Canonical(), next.Canonical()) {
		t.Fatal("two different events share a canonical encoding")
	}
}

func TestStatusSets(t *testing.T) {
	if len(huying.Statuses) != len(huying.StatusNames) {
		t.Fatalf("Statuses has %d, StatusNames %d", len(huying.Statuses), len(huying.StatusNames))
	}
	for _, s := range huying.OpenStatuses {
		if !s.Open() || !s.Valid() {
			t.Errorf("open set holds %s", s)
		}
	}
	for _, s := range huying.ClosedStatuses {
		if s.Open() || !s.Valid() {
			t.Errorf("closed set holds %s", s)
		}
	}
	if len(huying.OpenStatuses)+len(huying.ClosedStatuses) != len(huying.Statuses) {
		t.Error("the sets do not cover every status")
	}
}
