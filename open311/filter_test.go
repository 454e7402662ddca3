package open311

import (
	"testing"
	"time"
)

// TestFilterSecondPrecision: start_date and end_date compare at the
// precision times are shown, whole seconds.
func TestFilterSecondPrecision(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.f.Clock.T = e.f.Clock.T.Add(400*time.Millisecond + 123*time.Microsecond) // shown as 10:00:00
	code := e.mustFile(noiseForm())
	shown := e.get("requests/" + code + ".json").items(t)[0]["requested_datetime"]
	if shown != "2026-09-28T10:00:00+08:00" {
		t.Fatalf("requested_datetime %v", shown)
	}
	for _, q := range []string{
		"end_date=2026-09-28T10:00:00%2B08:00",
		"start_date=2026-09-28T10:00:00%2B08:00",
		"start_date=2026-09-28T10:00:00%2B08:00&end_date=2026-09-28T10:00:00%2B08:00",
		"start_date=2026-09-28T02:00:00.9Z&end_date=2026-09-28T02:00:00Z",
	} {
		if got := e.get("requests.json?" + q).items(t); len(got) != 1 {
			t.Errorf("requests?%s: %d requests, want the one shown at 10:00:00", q, len(got))
		}
		if got := e.get("servicerequestupdates.json?" + q).items(t); len(got) != 1 {
			t.Errorf("servicerequestupdates?%s: %d updates, want the one shown at 10:00:00", q, len(got))
		}
	}
	for _, q := range []string{"end_date=2026-09-28T09:59:59%2B08:00", "start_date=2026-09-28T10:00:01%2B08:00"} {
		if got := e.get("requests.json?" + q).items(t); len(got) != 0 {
			t.Errorf("requests?%s: %d requests, want none", q, len(got))
		}
	}
}
