package open311

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestNodeClient runs the npm client's acceptance test (client/) against
// this package on a temporary store, the way run.sh runs it against a real
// `huying serve`. It needs node and `npm ci` done in open311/client;
// otherwise it skips, unless HUYING_REQUIRE_NODE is set.
func TestNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join("client", "node_modules", "open311"))
	if err != nil || modErr != nil {
		if os.Getenv("HUYING_REQUIRE_NODE") != "" {
			t.Fatalf("node (%v) or client/node_modules (%v) missing; run npm ci in open311/client", err, modErr)
		}
		t.Skip("node or open311/client/node_modules missing (npm ci in open311/client)")
	}
	e := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec")
	cmd.Dir = "client"
	cmd.Env = append(os.Environ(), "HUYING_URL="+e.srv.URL, "HUYING_TOKEN="+e.token)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	if err != nil {
		t.Fatalf("node client test: %v", err)
	}
}
