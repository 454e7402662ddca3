package huying

import (
	"context"
	"time"
)

// HashLen is the length of a content hash: sha256 in lowercase hex.
const HashLen = 64

// ValidHash reports whether h is a content hash as Huying writes them:
// exactly 64 lowercase hex characters. Every hash that arrives from outside
// (a download path, an attachment reference) is checked with it before it
// reaches a file name or a query, so that "../" and the like never do.
func ValidHash(h string) bool {
	if len(h) != HashLen {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// AttachmentRefs says who may reach an uploaded file: the users who
// uploaded it and the appeals that refer to it (as intake attachments or in
// a supplement or reply).
type AttachmentRefs struct {
	Uploaders []int64
	AppealIDs []int64
}

// AttachmentStore reads the references of uploaded files.
type AttachmentStore interface {
	// AttachmentRefs returns the uploaders of hash and the appeals that
	// refer to it. Returns ENOTFOUND if it was never uploaded.
	AttachmentRefs(ctx context.Context, hash string) (*AttachmentRefs, error)
}

// AttachmentTx records uploaded files and who may reach them.
type AttachmentTx interface {
	// PutAttachment records an attachment's metadata and that uploader
	// (a user id) uploaded it; idempotent on hash and uploader.
	PutAttachment(a Attachment, uploader int64, at time.Time) error
	// AttachmentRefs is AttachmentStore.AttachmentRefs inside the
	// transaction. Returns ENOTFOUND.
	AttachmentRefs(hash string) (*AttachmentRefs, error)
	// LinkAttachments records that a supplement or reply (kind, the event
	// kind) of the appeal added the files (idempotent per file and appeal).
	LinkAttachments(appealID int64, kind string, list []Attachment) error
}
