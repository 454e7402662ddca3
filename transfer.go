package huying

import (
	"context"
	"time"
)

// Event kinds of data moving in and out of Huying.
const (
	// EventImported, on an imported appeal's chain, records the history the
	// other system kept (status, lead unit, result) at its original time;
	// the appeal's receive event carries "imported": true.
	EventImported = "imported"
	// EventExported, on the admin chain, records an export: who, which
	// list, its filters and how many rows left.
	EventExported = "exported"
)

// ImportedAppeal links an appeal imported from another system (a source,
// such as the old 12345 platform) to its id there, once: importing the same
// (Source, SourceID) again adds nothing.
type ImportedAppeal struct {
	Source   string
	SourceID string
	AppealID int64
	// ClosedAt is when the other system closed the appeal (nil if open).
	ClosedAt   *time.Time
	ImportedAt time.Time
}

// TransferStore reads what imports left.
type TransferStore interface {
	// ImportedAppeals returns, of ids, those already imported from source,
	// each with its appeal's id.
	ImportedAppeals(ctx context.Context, source string, ids []string) (map[string]int64, error)
}

// TransferTx writes imports, in the transaction of the appeals they create.
type TransferTx interface {
	// ImportedAppeals is TransferStore.ImportedAppeals inside the transaction.
	ImportedAppeals(source string, ids []string) (map[string]int64, error)
	// RecordImports links imported appeals to their source ids. Returns
	// ECONFLICT if one is linked already.
	RecordImports(list []ImportedAppeal) error
	// CreateAppeals inserts appeals (no attachments) with their
	// assignments in few statements, and sets their IDs: an import's batch.
	// Returns ECONFLICT if a code is taken.
	CreateAppeals(list []*Appeal) error
	// ReserveSeq raises the named counter (see AppealTx.NextSeq) by n and
	// returns its new value, the last of the n values reserved.
	ReserveSeq(name string, n int64) (int64, error)
}
