// Package transfer moves appeals in and out of Huying: exports of the lists
// the console shows (.xlsx or CSV, streamed page by page, masked and
// confidential as the lists are, each one an audit event) and imports of
// history from another system (huying import appeals, the console's
// upload), idempotent on the source's ids, with the original times and no
// live clocks or notices. It is a domain service on workflow's core, with
// its own part of huying.Tx (TransferTx) for the import links.
package transfer

import (
	"huying"
	"huying/workflow"
)

// Service exports and imports appeals.
type Service struct {
	App *workflow.Service
	// PageSize is how many appeals an export reads per page, and
	// BatchSize how many rows an import writes per transaction; zero means
	// DefaultPageSize and DefaultBatchSize.
	PageSize  int
	BatchSize int
}

// Defaults of Service.
const (
	DefaultPageSize  = 500
	DefaultBatchSize = 1000
	// MaxExportRows bounds one export below the 1,048,576 rows of a sheet.
	MaxExportRows = 1_000_000
)

// New returns the transfer service on the appeal service app.
func New(app *workflow.Service) *Service { return &Service{App: app} }

func (s *Service) pageSize() int {
	if s.PageSize > 0 {
		return s.PageSize
	}
	return DefaultPageSize
}

func (s *Service) batchSize() int {
	if s.BatchSize > 0 {
		return s.BatchSize
	}
	return DefaultBatchSize
}

// unitNames maps unit ids to names, so that files name units as people
// know them, never by id.
func unitNames(units []*huying.Unit) map[string]string {
	m := make(map[string]string, len(units))
	for _, u := range units {
		m[u.ID] = u.Name
	}
	return m
}
