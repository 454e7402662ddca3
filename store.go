package huying

import "context"

// Store is everything the workflow needs from a database. The sqlite and
// postgres packages implement it and pass the one storetest suite.
type Store interface {
	UnitStore
	UserStore
	AppealStore
	EventStore
	DeadlineStore
	OutboxStore
	SupervisionStore
	CatalogueStore
	ChannelStore
	AttachmentStore
	AuditStore
	KnowledgeStore
	InboxStore
	TransferStore
	SettingsStore
	// Update runs fn in one write transaction and commits if fn returns nil.
	// Every change and its event are written in the same call. fn may run
	// more than once (SQLite's group commit reruns it alone when a shared
	// transaction fails), so it must have no effects outside tx, and every
	// read it depends on must go through tx, never the pool: a read through
	// the pool while the transaction holds a connection can wait on it.
	Update(ctx context.Context, fn func(Tx) error) error
	// Ping checks the database is reachable and takes a (tiny) write.
	// Returns EUNAVAILABLE.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Tx is a write transaction: one part per aggregate, so that a command
// touching several (an appeal, its clocks, its notices, a flag) is still
// one transaction. A new domain adds its own part here.
type Tx interface {
	AppealTx
	EventTx
	UnitTx
	IdentityTx
	AttachmentTx
	DeadlineTx
	NoticeTx
	ChannelTx
	CatalogueTx
	SupervisionTx
	KnowledgeTx
	InboxTx
	TransferTx
	SettingsTx
}
