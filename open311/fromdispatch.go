package open311

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"huying"
	"huying/dispatch"
)

// FromDispatch is the Catalogue a Huying installation serves: the built-in
// services (with their questions) plus one service for every category
// path of the newest dispatch catalogue (派单目录) that the built-in list
// does not already name. A category's service code is derived from its
// path, so it stays the same across catalogue versions.
type FromDispatch struct {
	Base *Static
	// Load returns the newest dispatch catalogue (workflow.Service.Catalogue).
	Load func(ctx context.Context) (*dispatch.Catalogue, error)
}

// ServiceList implements Catalogue. Without a dispatch catalogue it is the
// built-in list.
func (f *FromDispatch) ServiceList(ctx context.Context) (*ServiceList, error) {
	base := (*ServiceList)(f.Base)
	cat, err := f.Load(ctx)
	if err != nil {
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			return base, nil
		}
		return nil, err
	}
	out := &ServiceList{Changeset: base.Changeset, Services: slices.Clone(base.Services)}
	known := map[string]bool{}
	for _, s := range base.Services {
		known[s.FullName()] = true
	}
	for _, r := range cat.Rules {
		if r.Category == "" || known[r.Category] {
			continue
		}
		known[r.Category] = true
		levels := strings.Split(r.Category, "/")
		out.Services = append(out.Services, Service{
			Code: CategoryCode(r.Category), Name: levels[len(levels)-1], Group: levels[0],
			Description: "派单目录分类：" + r.Category, Keywords: levels, Type: TypeRealtime,
			AppealType: huying.TypeComplaint,
		})
	}
	return out, nil
}

// CategoryCode is the service code of a dispatch category path: "c" and
// eight hex digits of its FNV-1a hash.
func CategoryCode(path string) string {
	h := fnv.New32a()
	h.Write([]byte(path))
	return fmt.Sprintf("c%08x", h.Sum32())
}
