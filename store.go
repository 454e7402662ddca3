package huying

import (
	"context"
	"time"
)

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

// Tx is a write transaction.
type Tx interface {
	IdentityTx

	// Appeal reads an appeal inside the transaction. Returns ENOTFOUND.
	Appeal(id int64) (*Appeal, error)
	// AppealByCode finds an appeal by its tracking code, without locking
	// it. Returns ENOTFOUND.
	AppealByCode(code string) (*Appeal, error)
	// AppealByIdempotencyKey finds an appeal by its idempotency key. Returns ENOTFOUND.
	AppealByIdempotencyKey(key string) (*Appeal, error)
	// NextSeq increments and returns the named counter (first value 1).
	NextSeq(name string) (int64, error)
	// CreateAppeal inserts a and its attachments and assignments, and sets a.ID.
	// Returns ECONFLICT if the code or idempotency key is taken.
	CreateAppeal(a *Appeal) error
	// UpdateAppeal writes a if the stored version is still version (compare
	// and set), then sets a.Version to version+1. Assignments are replaced.
	// Returns ECONFLICT if the appeal changed meanwhile.
	UpdateAppeal(a *Appeal, version int) error
	// AppendEvent links e to the end of its chain (Seq, PrevHash, Hash) and
	// inserts it. A caller that starts a new chain sets Seq to 1.
	AppendEvent(e *Event) error
	// AppendEvents is AppendEvent for many events in order, in few statements.
	AppendEvents(events []*Event) error
	// RecordRating keeps a rating as data, in the transaction of its event.
	RecordRating(r *RatingRecord) error
	// AppealsByID reads several appeals with their assignments (not their
	// attachments) inside the transaction.
	AppealsByID(ids []int64) (map[int64]*Appeal, error)
	// Unit reads a unit. Returns ENOTFOUND.
	Unit(id string) (*Unit, error)
	// Units reads every unit.
	Units() ([]*Unit, error)
	// Users reads every user (the staff to notify of an escalation).
	Users() ([]*User, error)
	// Webhooks reads the webhook subscribers.
	Webhooks() ([]*Webhook, error)
	// MergedInto reads the appeals merged into target (并入), oldest first,
	// with their assignments.
	MergedInto(target int64) ([]*Appeal, error)
	// CreateUnit inserts a unit. Returns ECONFLICT if the id is taken, EINVALID if the parent is unknown.
	CreateUnit(u *Unit) error
	// PutAttachment records an attachment's metadata and that uploader
	// (a user id) uploaded it; idempotent on hash and uploader.
	PutAttachment(a Attachment, uploader int64, at time.Time) error
	// AttachmentRefs is AttachmentStore.AttachmentRefs inside the
	// transaction. Returns ENOTFOUND.
	AttachmentRefs(hash string) (*AttachmentRefs, error)
	// LinkAttachments records that a supplement or reply (kind, the event
	// kind) of the appeal added the files (idempotent per file and appeal).
	LinkAttachments(appealID int64, kind string, list []Attachment) error

	// OpenDeadlines returns the appeal's deadlines that are not done.
	OpenDeadlines(appealID int64) ([]*Deadline, error)
	// CreateDeadline inserts d and sets its ID.
	CreateDeadline(d *Deadline) error
	// UpdateDeadline writes d if its stored state and escalation count are
	// still from and escalations (compare and set). Returns ECONFLICT otherwise.
	UpdateDeadline(d *Deadline, from DeadlineState, escalations int) error
	// UpdateDeadlines is UpdateDeadline for many; ECONFLICT if any changed.
	UpdateDeadlines(us []DeadlineUpdate) error
	// EnqueueNotice adds a notice to the outbox unless the event already
	// has one for that channel and recipient.
	EnqueueNotice(n *Notice) error
	// EnqueueNotices is EnqueueNotice for many.
	EnqueueNotices(ns []*Notice) error
	// CreateWebhook adds a subscriber and sets its ID.
	CreateWebhook(w *Webhook) error
	// SetWebhookDisabled disables (at, reason) or enables (nil) a
	// subscriber. Returns ENOTFOUND.
	SetWebhookDisabled(id int64, at *time.Time, reason string) error
	// DeleteWebhook removes a subscriber. Returns ENOTFOUND.
	DeleteWebhook(id int64) error

	// Subscribe records that phone wants every step of an appeal (idempotent).
	Subscribe(appealID int64, phone string, at time.Time) error
	// Subscribers returns the phones subscribed to an appeal.
	Subscribers(appealID int64) ([]string, error)

	// PutChannel adds or replaces a channel of the registry.
	PutChannel(c *Channel) error

	// CreateCode stores a resident's SMS code (its hash).
	CreateCode(c *SMSCode) error
	// RecentCodes counts the codes sent to phone since since.
	RecentCodes(phone string, since time.Time) (int, error)
	// LatestCode returns the newest code of phone. Returns ENOTFOUND.
	LatestCode(phone string) (*SMSCode, error)
	// SpendCode records an attempt on a code (attempts+1), or deletes the
	// phone's codes when used.
	SpendCode(id int64, used bool) error

	// PutCatalogue stores a new catalogue version. Returns ECONFLICT if the
	// version exists (someone saved meanwhile).
	PutCatalogue(c *CatalogueVersion) error

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

	// DueDeadlines returns up to limit deadlines whose NextAt is at or before
	// now, locking them so that another node's sweep skips them.
	DueDeadlines(now time.Time, limit int) ([]*Deadline, error)
}
