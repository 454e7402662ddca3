package workflow

import (
	"context"
	"maps"
	"slices"

	"huying"
)

// maxRefsChecked bounds the appeals read to authorise one download: a file
// referred to by more appeals than that (a common leaflet) is judged by the
// first ones.
const maxRefsChecked = 50

// RecordAttachment records an uploaded file's metadata and its uploader, so
// that intakes, supplements and replies may refer to it by hash and the
// uploader may read it back before it is attached. Any logged-in user or
// channel may upload.
func (s *Service) RecordAttachment(ctx context.Context, actor huying.Actor, at huying.Attachment) error {
	if err := CanUpload(actor); err != nil {
		return err
	}
	if !huying.ValidHash(at.Hash) {
		return huying.FieldErrorf("hash", "附件标识无效")
	}
	return s.Store.Update(ctx, func(tx huying.Tx) error { return tx.PutAttachment(at, actor.User.ID, s.now()) })
}

// CanUpload says whether the actor may upload files at all: any login, and
// a channel's token only with the intake scope (uploads are for filing).
func CanUpload(actor huying.Actor) error {
	if actor.User == nil {
		return huying.Errorf(huying.EUNAUTHORIZED, "请先登录")
	}
	return actor.RequireScope(huying.ScopeIntake)
}

// AuthorizeDownload says whether the actor may read the file with hash: its
// uploader may, and so may whoever may see an appeal that refers to it (as
// an intake attachment, or in a supplement or reply). Everybody else gets
// the ENOTFOUND a missing file gets, so that hashes cannot be probed.
// Returns ENOTFOUND or, when the database fails, EUNAVAILABLE/EINTERNAL.
func (s *Service) AuthorizeDownload(ctx context.Context, actor huying.Actor, hash string) error {
	notFound := huying.Errorf(huying.ENOTFOUND, "附件不存在")
	if actor.User == nil || !huying.ValidHash(hash) {
		return notFound
	}
	refs, err := s.Store.AttachmentRefs(ctx, hash)
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	if isUploader(actor, refs) {
		return nil
	}
	for _, id := range refs.AppealIDs[:min(len(refs.AppealIDs), maxRefsChecked)] {
		a, err := s.Store.Appeal(ctx, id)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if canSee(actor, a) {
			return nil
		}
	}
	return notFound
}

func isUploader(actor huying.Actor, refs *huying.AttachmentRefs) bool {
	return actor.User != nil && actor.User.ID != 0 && slices.Contains(refs.Uploaders, actor.User.ID)
}

// checkAttachments checks, inside the transaction that will refer to them,
// that every attachment has a valid hash, was uploaded, and may be read by
// the actor: referring to a file one may not read would be a way to read
// it (attach it to one's own appeal, then download it). A file the actor
// may not read gets the same answer as one never uploaded.
func checkAttachments(tx huying.Tx, actor huying.Actor, list []huying.Attachment) error {
	for _, at := range list {
		if !huying.ValidHash(at.Hash) {
			return huying.FieldErrorf("attachments", "附件标识无效，请先上传附件")
		}
		notUploaded := huying.FieldErrorf("attachments", "附件 %s 尚未上传", at.Name)
		refs, err := tx.AttachmentRefs(at.Hash)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			return notUploaded
		} else if err != nil {
			return err
		}
		if isUploader(actor, refs) {
			continue
		}
		appeals, err := tx.AppealsByID(refs.AppealIDs[:min(len(refs.AppealIDs), maxRefsChecked)])
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(slices.Collect(maps.Values(appeals)), func(a *huying.Appeal) bool { return canSee(actor, a) }) {
			return notUploaded
		}
	}
	return nil
}

// hashes returns the hashes of list.
func hashes(list []huying.Attachment) []string {
	out := make([]string, len(list))
	for i, at := range list {
		out[i] = at.Hash
	}
	return out
}
