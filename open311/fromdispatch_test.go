package open311

import (
	"context"
	"testing"

	"huying"
	"huying/dispatch"
)

func TestFromDispatch(t *testing.T) {
	t.Parallel()
	base := DefaultCatalogue().(*Static)
	cat := &dispatch.Catalogue{Rules: []dispatch.Rule{
		{ID: "a", Category: "环境保护", Lead: "x"},
		{ID: "b", Category: "环境保护/噪声污染", Lead: "x"},
		{ID: "c", Category: "环境保护", Object: "油烟", Lead: "y"},
	}}
	f := &FromDispatch{Base: base, Load: func(context.Context) (*dispatch.Catalogue, error) { return cat, nil }}
	l, err := f.ServiceList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Services) != len(base.Services)+2 {
		t.Fatalf("%d services, want the %d built-in plus 2 categories", len(l.Services), len(base.Services))
	}
	s := l.Service(CategoryCode("环境保护/噪声污染"))
	if s == nil || s.Name != "噪声污染" || s.Group != "环境保护" {
		t.Fatalf("category service %+v", s)
	}
	if err := l.Validate(); err != nil {
		t.Fatalf("derived list invalid: %v", err)
	}
	none := &FromDispatch{Base: base, Load: func(context.Context) (*dispatch.Catalogue, error) {
		return nil, huying.Errorf(huying.ENOTFOUND, "none")
	}}
	if l, err := none.ServiceList(context.Background()); err != nil || len(l.Services) != len(base.Services) {
		t.Fatalf("without a catalogue: %d %v", len(l.Services), err)
	}
}
