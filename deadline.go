package huying

import (
	"context"
	"time"
)

// Deadline stages. They match the sla package's stages; a "report_in"
// deadline belongs to a summoned department of a whistle (吹哨报到).
const (
	StageDispatch     = "dispatch"      // 派单
	StageSign         = "sign"          // 签收
	StageFirstContact = "first_contact" // 首次联系
	StageClose        = "close"         // 办结
	StageReview       = "review"        // 审核
	StageCallback     = "callback"      // 回访
	StageArbitrate    = "arbitrate"     // 派单异议审核: the centre's decision on a return

	// Stages beside the lifecycle: a flag's own deadline and a summoned
	// department's report-in.
	StageFlag     = "flag"      // 挂牌督办时限
	StageReportIn = "report_in" // 吹哨报到时限
)

// StageNames are the Chinese names of the stages.
var StageNames = map[string]string{
	StageDispatch: "派单", StageSign: "签收", StageFirstContact: "首次联系",
	StageClose: "办结", StageReview: "审核", StageCallback: "回访", StageArbitrate: "退单审核",
	StageFlag: "挂牌督办", StageReportIn: "吹哨报到",
}

// DeadlineState is the colour of a running deadline.
type DeadlineState string

// Deadline states: open (green), yellow (warning), red (overdue), done.
const (
	DeadlineOpen   DeadlineState = "open"
	DeadlineYellow DeadlineState = "yellow"
	DeadlineRed    DeadlineState = "red"
	DeadlineDone   DeadlineState = "done"
)

// Deadline is one stage's clock on one appeal, kept as a row so that a
// sweeper, not a sleeping goroutine, turns it yellow and red. NextAt is the
// next moment the sweeper must look at it (WarnAt, then DueAt, then an
// escalation time); nil when nothing more will happen.
type Deadline struct {
	ID       int64         `json:"id"`
	AppealID int64         `json:"appeal_id"`
	Stage    string        `json:"stage"`
	UnitID   string        `json:"unit_id"`
	State    DeadlineState `json:"state"`
	StartAt  time.Time     `json:"start_at"`
	WarnAt   time.Time     `json:"warn_at"`
	DueAt    time.Time     `json:"due_at"`
	// OriginalDueAt keeps the first due time when an extension moved DueAt.
	OriginalDueAt *time.Time `json:"original_due_at,omitempty"`
	NextAt        *time.Time `json:"next_at,omitempty"`
	// Escalations counts what the sweeper did after the deadline went red
	// (催办, 督办, auto-sign).
	Escalations int        `json:"escalations"`
	DoneAt      *time.Time `json:"done_at,omitempty"`

	// AppealCode and AppealTitle are filled by list queries for display.
	AppealCode  string `json:"appeal_code,omitempty"`
	AppealTitle string `json:"appeal_title,omitempty"`
}

// DeadlineUpdate is one compare-and-set of a deadline: write Deadline if
// the stored row still has state From and Escalations.
type DeadlineUpdate struct {
	Deadline    *Deadline
	From        DeadlineState
	Escalations int
}

// DeadlineFilter selects deadlines for the supervisor's board.
type DeadlineFilter struct {
	States []DeadlineState
	UnitID string
	Stage  string
	Limit  int
	// HideConfidential leaves out the deadlines of confidential appeals.
	HideConfidential bool
	// AppealIDs keeps the deadlines of these appeals (none: of all).
	AppealIDs []int64
}

// DeadlineStore reads deadlines.
type DeadlineStore interface {
	// AppealDeadlines returns every deadline of an appeal, oldest first.
	AppealDeadlines(ctx context.Context, appealID int64) ([]*Deadline, error)
	// Deadlines returns deadlines matching f, most urgent (earliest due) first.
	Deadlines(ctx context.Context, f DeadlineFilter) ([]*Deadline, error)
	// DeadlineCounts counts not-done deadlines by unit, stage and state.
	DeadlineCounts(ctx context.Context) ([]DeadlineCount, error)
}

// DeadlineCount is one cell of the supervisor's board.
type DeadlineCount struct {
	UnitID string        `json:"unit_id"`
	Stage  string        `json:"stage"`
	State  DeadlineState `json:"state"`
	Count  int           `json:"count"`
}

// DeadlineTx keeps the stage clocks (时限) of appeals.
type DeadlineTx interface {
	// OpenDeadlines returns the appeal's deadlines that are not done.
	OpenDeadlines(appealID int64) ([]*Deadline, error)
	// CreateDeadline inserts d and sets its ID.
	CreateDeadline(d *Deadline) error
	// UpdateDeadline writes d if its stored state and escalation count are
	// still from and escalations (compare and set). Returns ECONFLICT otherwise.
	UpdateDeadline(d *Deadline, from DeadlineState, escalations int) error
	// UpdateDeadlines is UpdateDeadline for many; ECONFLICT if any changed.
	UpdateDeadlines(us []DeadlineUpdate) error
	// DueDeadlines returns up to limit deadlines whose NextAt is at or before
	// now, locking them so that another node's sweep skips them.
	DueDeadlines(now time.Time, limit int) ([]*Deadline, error)
}
