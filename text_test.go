package huying_test

import (
	"strings"
	"testing"

	"huying"
)

func TestValidHash(t *testing.T) {
	t.Parallel()
	good := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		h    string
		want bool
	}{
		{good, true},
		{strings.ToUpper(good), false},
		{good[:63], false},
		{good + "0", false},
		{"", false},
		// 64 characters that climb out of the attachments directory.
		{"../../../../../../../../../../../../../../../../../../etc/passwd", false},
		{"..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpas", false},
		{strings.Repeat("g", 64), false},
		{good[:62] + "\x00a", false},
	}
	for _, tt := range tests {
		if got := huying.ValidHash(tt.h); got != tt.want {
			t.Errorf("ValidHash(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, s  string
		text, nm bool // accepted as text, as a name
	}{
		{"plain", "坪山区东纵路88号", true, true},
		{"lines and tabs", "第一行\r\n第二行\t末尾", true, true},
		{"NUL", "李\x00四", false, false},
		{"bell", "a\x07b", false, false},
		{"escape", "\x1b[31m", false, false},
		{"DEL", "a\x7fb", false, false},
		{"invalid UTF-8", "a\xffb", false, false},
		{"right-to-left override", "photo\u202egpj.exe", true, false},
		{"isolate", "\u2066李四\u2069", true, false},
		{"zero width joiner is fine", "a\u200db", true, true},
	}
	for _, tt := range tests {
		if err := huying.CheckText("contact_name", tt.s); (err == nil) != tt.text {
			t.Errorf("%s: CheckText = %v, want ok=%v", tt.name, err, tt.text)
		} else if err != nil && (huying.ErrorCode(err) != huying.EINVALID || huying.ErrorField(err) != "contact_name" || !strings.Contains(huying.ErrorMessage(err), "contact_name")) {
			t.Errorf("%s: %v, want EINVALID naming contact_name", tt.name, err)
		}
		if err := huying.CheckName("contact_name", tt.s); (err == nil) != tt.nm {
			t.Errorf("%s: CheckName = %v, want ok=%v", tt.name, err, tt.nm)
		}
	}
	if err := huying.CheckSearch("q", strings.Repeat("路", huying.MaxSearchRunes)); err != nil {
		t.Errorf("search of %d runes: %v", huying.MaxSearchRunes, err)
	}
	if err := huying.CheckSearch("q", strings.Repeat("路", huying.MaxSearchRunes+1)); huying.ErrorCode(err) != huying.EINVALID {
		t.Errorf("search of %d runes: %v, want EINVALID", huying.MaxSearchRunes+1, err)
	}
}

// TestDefaultTitle: a title taken from the content ends at a clause
// boundary, never mid-word.
func TestDefaultTitle(t *testing.T) {
	for _, tc := range []struct{ content, want string }{
		{"路灯不亮。", "路灯不亮"},
		{"请问坪山区公立幼儿园的收费标准，输入学位申请系统后看不到结果怎么办？", "请问坪山区公立幼儿园的收费标准"},
		{"坪山街道六和社区和平路12号门前下水道堵塞，污水外溢，气味很大，希望尽快疏通。", "坪山街道六和社区和平路12号门前下水道堵塞，污水外溢"},
		{"这是一段没有任何标点符号的很长很长很长很长很长很长很长很长的诉求内容描述文字", "这是一段没有任何标点符号的很长很长很长很长很长很长很长很长的…"},
	} {
		if got := huying.DefaultTitle(tc.content); got != tc.want {
			t.Errorf("DefaultTitle(%q) = %q, want %q", tc.content, got, tc.want)
		}
	}
}
