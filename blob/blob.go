// Package blob keeps attachments on disk by content hash (sha256), under
// <data>/attachments/ab/abcdef…. A file is written to a temporary name,
// synced and renamed, so a crash never leaves a half file under a hash.
package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"

	"huying"
)

// Store is a directory of content-addressed files.
type Store struct{ Dir string }

// Put reads at most max bytes from r, checks the sniffed content type
// against huying.AttachmentTypes and stores the file. Returns ETOOLARGE or EINVALID.
func (s *Store) Put(r io.Reader, max int64, name string) (huying.Attachment, error) {
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return huying.Attachment{}, err
	}
	tmp, err := os.CreateTemp(s.Dir, "upload-*")
	if err != nil {
		return huying.Attachment{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return huying.Attachment{}, err
	}
	head = head[:n]
	if n == 0 {
		return huying.Attachment{}, huying.FieldErrorf("file", "附件是空文件")
	}
	ctype := http.DetectContentType(head)
	if !slices.Contains(huying.AttachmentTypes, ctype) {
		return huying.Attachment{}, huying.FieldErrorf("file", "不支持的附件类型 %s，仅支持图片、PDF、音频和 MP4 视频", ctype)
	}
	size, err := io.Copy(io.MultiWriter(tmp, h), io.MultiReader(bytes.NewReader(head), io.LimitReader(r, max-int64(n)+1)))
	if err != nil {
		return huying.Attachment{}, err
	}
	if size > max {
		return huying.Attachment{}, &huying.Error{Code: huying.ETOOLARGE, Field: "file", Message: fmt.Sprintf("附件不能超过 %d MB", max>>20)}
	}
	if err := tmp.Sync(); err != nil {
		return huying.Attachment{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	path := s.path(sum)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return huying.Attachment{}, err
	}
	if err := tmp.Close(); err != nil {
		return huying.Attachment{}, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return huying.Attachment{}, err
	}
	return huying.Attachment{Hash: sum, Name: name, Size: size, ContentType: ctype}, nil
}

// Open opens the file with hash sum. Returns ENOTFOUND.
func (s *Store) Open(sum string) (*os.File, error) {
	// The callers check the hash already; checking again here keeps any
	// other value (say "../" percent-encoded into a path) out of the file
	// system whoever calls.
	if !huying.ValidHash(sum) {
		return nil, huying.Errorf(huying.ENOTFOUND, "附件不存在")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, huying.Errorf(huying.ENOTFOUND, "附件不存在")
	}
	return f, err
}

func (s *Store) path(sum string) string { return filepath.Join(s.Dir, sum[:2], sum) }
