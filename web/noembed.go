//go:build !webui

package web

import "io/fs"

// dist is nil without the webui build tag.
var dist fs.FS
