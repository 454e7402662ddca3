package huying

import (
	"context"
	"time"
)

// CalendarYear is one year's holiday arrangement that an admin imported
// from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知),
// kept as the JSON of a workday.Year. A year imported is confirmed; a year
// only built into the binary, or missing, is not.
type CalendarYear struct {
	Year       int       `json:"year"`
	Data       []byte    `json:"-"`
	ImportedAt time.Time `json:"imported_at"`
	ImportedBy string    `json:"imported_by"`
}

// SLAVersion is one version of the jurisdiction's SLA table (时限配置), as
// its JSON (package sla's format). A version applies to the appeals
// received at or after EffectiveAt, until the next version's.
type SLAVersion struct {
	Version     int       `json:"version"`
	Data        []byte    `json:"-"`
	Note        string    `json:"note"`
	EffectiveAt time.Time `json:"effective_at"`
	CreatedBy   string    `json:"created_by"`
}

// SettingsStore reads the settings admins keep in the database.
type SettingsStore interface {
	// CalendarYears returns the imported holiday arrangements by year.
	CalendarYears(ctx context.Context) ([]*CalendarYear, error)
	// SLAVersions returns every version of the SLA table, oldest first.
	SLAVersions(ctx context.Context) ([]*SLAVersion, error)
}

// SettingsTx is the part of a write transaction for the settings admins
// keep: imported holiday arrangements and the SLA table's versions.
type SettingsTx interface {
	// SaveCalendarYear inserts or replaces the imported arrangement of a year.
	SaveCalendarYear(y *CalendarYear) error
	// SLAVersions reads every version of the SLA table, oldest first.
	SLAVersions() ([]*SLAVersion, error)
	// CreateSLAVersion inserts a version. Returns ECONFLICT when the
	// version number is taken (another admin saved first).
	CreateSLAVersion(v *SLAVersion) error
}
