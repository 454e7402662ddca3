package classify

import (
	"strings"
	"testing"
)

func TestParseDatasetJoinsColumns(t *testing.T) {
	t.Parallel()
	csv := "\ufeff留言主题,留言详情,一级标签\n噪音扰民,\"\n\t\t楼下工厂夜里开工\n\",环境保护\n"
	ds, err := ParseDataset(strings.NewReader(csv), "x.csv", "留言主题+留言详情", "一级标签", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Texts) != 1 || ds.Texts[0] != "噪音扰民 楼下工厂夜里开工" || ds.Labels[0] != "环境保护" || ds.Groups != nil || ds.IDs != nil {
		t.Errorf("got %+v", ds)
	}
}

func TestParseDatasetGroupsAndIDs(t *testing.T) {
	t.Parallel()
	csv := "row_id,text,label,dup_group\n 7 ,物业 收费,城乡建设,g1\n8,学校 补课,教育文体,\n"
	ds, err := ParseDataset(strings.NewReader(csv), "x.csv", "text", "label", "dup_group")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(ds.IDs, ","), "7,8"; got != want {
		t.Errorf("IDs %q, want %q", got, want)
	}
	if got, want := strings.Join(ds.Groups, ","), "g1,"; got != want {
		t.Errorf("Groups %q, want %q", got, want)
	}
}
