package huying

import (
	"context"
	"time"
)

// Flag is a 挂牌督办: a supervisor flags an appeal with a reason, a
// supervising unit and its own deadline; progress is reported on it (weekly
// by custom) until it is closed. Public flags are listed for residents.
type Flag struct {
	ID              int64          `json:"id"`
	AppealID        int64          `json:"appeal_id"`
	Title           string         `json:"title"`
	Reason          string         `json:"reason"`
	SupervisingUnit string         `json:"supervising_unit"`
	DueAt           time.Time      `json:"due_at"`
	Public          bool           `json:"public"`
	CreatedBy       int64          `json:"created_by"`
	CreatedAt       time.Time      `json:"created_at"`
	ClosedAt        *time.Time     `json:"closed_at,omitempty"`
	ClosedNote      string         `json:"closed_note,omitempty"`
	Progress        []FlagProgress `json:"progress"`

	AppealCode string `json:"appeal_code,omitempty"` // filled by list queries
}

// FlagProgress is one progress entry of a flag.
type FlagProgress struct {
	ID        int64     `json:"id"`
	FlagID    int64     `json:"flag_id"`
	Note      string    `json:"note"`
	CreatedBy int64     `json:"created_by"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// FlagFilter selects flags.
type FlagFilter struct {
	AppealID   int64
	OpenOnly   bool
	PublicOnly bool
	// HideConfidential leaves out the flags of confidential appeals.
	HideConfidential bool
}

// Whistle is a 吹哨: a street or community party committee summons
// departments to an appeal it cannot solve alone. Each summoned department
// must report in (报到) within a limit and is a co-handler until the appeal
// is closed; afterwards the street rates each one (双考核).
type Whistle struct {
	ID        int64         `json:"id"`
	AppealID  int64         `json:"appeal_id"`
	UnitID    string        `json:"unit_id"` // the street or community that blew
	Reason    string        `json:"reason"`
	CreatedBy int64         `json:"created_by"`
	CreatedAt time.Time     `json:"created_at"`
	Calls     []WhistleCall `json:"calls"`

	AppealCode string `json:"appeal_code,omitempty"` // filled by list queries
}

// WhistleCall is one summoned department of a whistle.
type WhistleCall struct {
	UnitID     string     `json:"unit_id"`
	DueAt      time.Time  `json:"due_at"`
	ReportedAt *time.Time `json:"reported_at,omitempty"`
	Rating     int        `json:"rating,omitempty"` // 1–5, given by the blowing unit after closure
	RatingNote string     `json:"rating_note,omitempty"`
	RatedAt    *time.Time `json:"rated_at,omitempty"`
}

// WhistleStat is one unit's figures: for departments, how often they were
// summoned, reported in on time and how they were rated; for streets and
// communities, how often they blew and rated.
type WhistleStat struct {
	UnitID         string  `json:"unit_id"`
	Summoned       int     `json:"summoned"`
	ReportedOnTime int     `json:"reported_on_time"`
	ReportedLate   int     `json:"reported_late"`
	NotReported    int     `json:"not_reported"`
	Rated          int     `json:"rated"`
	AvgRating      float64 `json:"avg_rating"`
	Blown          int     `json:"blown"`
	RatingsGiven   int     `json:"ratings_given"`
}

// SupervisionStore reads flags and whistles.
type SupervisionStore interface {
	// Flags returns flags matching f, newest first, with their progress.
	Flags(ctx context.Context, f FlagFilter) ([]*Flag, error)
	// Whistles returns the whistles of an appeal (all appeals when 0), newest first, with their calls.
	Whistles(ctx context.Context, appealID int64) ([]*Whistle, error)
	// WhistleStats returns the figures of every unit that blew or was summoned.
	WhistleStats(ctx context.Context) ([]WhistleStat, error)
}

// SupervisionTx keeps flags (挂牌督办) and whistles (吹哨报到).
type SupervisionTx interface {
	// CreateFlag inserts a flag and sets its ID.
	CreateFlag(f *Flag) error
	// Flag reads a flag with its progress. Returns ENOTFOUND.
	Flag(id int64) (*Flag, error)
	// AddFlagProgress inserts a progress entry and sets its ID.
	AddFlagProgress(p *FlagProgress) error
	// CloseFlag closes an open flag. Returns ECONFLICT if it is closed already.
	CloseFlag(id int64, at time.Time, note string) error
	// CreateWhistle inserts a whistle with its calls and sets its ID.
	CreateWhistle(w *Whistle) error
	// Whistle reads a whistle with its calls. Returns ENOTFOUND.
	Whistle(id int64) (*Whistle, error)
	// ReportIn records a summoned unit's report. Returns ECONFLICT if it reported already.
	ReportIn(whistleID int64, unitID string, at time.Time) error
	// RateCall records the blowing unit's rating of a summoned unit. Returns
	// ECONFLICT if it was rated already.
	RateCall(whistleID int64, unitID string, rating int, note string, at time.Time) error
}
