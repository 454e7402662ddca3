package main

import (
	"strings"
	"testing"
)

// TestSplitCallbackSetting: the split callback is part by default, end by
// the environment or the flag, and anything else is refused in Chinese.
func TestSplitCallbackSetting(t *testing.T) {
	t.Setenv("HUYING_SPLIT_CALLBACK", "")
	if c := DefaultConfig(); c.SplitCallback != "part" || c.Validate() != nil {
		t.Fatalf("default: %q %v", c.SplitCallback, c.Validate())
	}
	t.Setenv("HUYING_SPLIT_CALLBACK", "end")
	if c := DefaultConfig(); c.SplitCallback != "end" {
		t.Fatalf("from the environment: %q", c.SplitCallback)
	}
	c := DefaultConfig()
	fs := cmdFlagSet("serve", &strings.Builder{})
	c.dataFlags(fs)
	if err := c.parseFlags(fs, []string{"--split-callback", "part"}); err != nil || c.SplitCallback != "part" {
		t.Fatalf("--split-callback part: %q %v", c.SplitCallback, err)
	}
	c.SplitCallback = "once"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "--split-callback") {
		t.Fatalf("a bad setting: %v", err)
	}
}
