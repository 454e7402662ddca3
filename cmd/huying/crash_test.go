package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"huying"
	"huying/identity"
	"huying/notify"
	"huying/sqlite"
	"huying/workday"
	"huying/workflow"
)

// TestMain lets the test binary act as the huying program when asked, so
// tests can run the real program as a separate process without building it.
func TestMain(m *testing.M) {
	if os.Getenv("HUYING_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// startProcess runs `huying serve` as a child process on a free port and
// waits until it answers.
func startProcess(t *testing.T, dataDir string) (*exec.Cmd, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0], "serve", "--data", dataDir, "--addr", addr, "--log-level", "warn", "--sms", "log")
	cmd.Env = append(os.Environ(), "HUYING_TEST_MAIN=1", "HUYING_DB=")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, "http://" + addr
			}
		}
	}
	t.Fatal("huying serve did not become ready")
	return nil, ""
}

// setupChannel writes a centre, an intake user and its API token.
func setupChannel(t *testing.T, dataDir string) string {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dataDir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cal, _ := workday.New(workday.Options{})
	svc := workflow.New(store, cal)
	ids := identity.Beside(store, svc)
	ids.PasswordCost = 4
	if err := ids.CreateUnit(ctx, huying.Actor{}, huying.Unit{ID: "ps-centre", Name: "分拨中心", Kind: huying.UnitCentre}); err != nil {
		t.Fatal(err)
	}
	// The checks read back every appeal after the restart: more than the
	// default token rate allows a minute.
	if err := svc.SaveChannel(ctx, huying.Actor{}, huying.Channel{Name: "小程序", Kind: huying.ChannelMiniApp, RatePerMinute: 1_000_000}); err != nil {
		t.Fatal(err)
	}
	token, _, err := ids.CreateToken(ctx, huying.Actor{}, identity.NewToken{Name: "crash", Channel: "小程序"})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// TestCrashKeepsAnsweredAppeals sends concurrent intakes to a real huying
// process, kills it with SIGKILL mid-way, restarts it, and checks that every
// appeal answered with a tracking code is there and the audit chain verifies.
func TestCrashKeepsAnsweredAppeals(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dataDir := t.TempDir()
	token := setupChannel(t, dataDir)
	cmd, url := startProcess(t, dataDir)

	var (
		mu       sync.Mutex
		answered []string
		wg       sync.WaitGroup
	)
	stop := make(chan struct{})
	client := &http.Client{Timeout: 5 * time.Second}
	for i := range 8 {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"type":"求助","content":"第 %d-%d 件：坪山区石井街道田头社区路灯不亮。","address":"坪山区石井街道田头社区","contact_name":"王五","contact_phone":"13700001111"}`, i, n)
				req, _ := http.NewRequest("POST", url+"/api/v1/appeals", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the process is gone
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					var a struct{ Code string }
					if json.Unmarshal(raw, &a) == nil && a.Code != "" {
						mu.Lock()
						answered = append(answered, a.Code)
						mu.Unlock()
					}
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	if len(answered) < 50 {
		t.Fatalf("only %d appeals answered before the kill", len(answered))
	}

	_, url = startProcess(t, dataDir)
	for _, code := range answered {
		req, _ := http.NewRequest("GET", url+"/api/v1/appeals/"+code, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("appeal %s, answered before the crash, is missing after restart: %d", code, resp.StatusCode)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--data", dataDir}, nil, &out, io.Discard); err != nil {
		t.Fatalf("audit verify after crash: %v", err)
	}

	// Every acceptance notice (受理告知) is sent exactly once, including those
	// whose appeal was committed just before the kill and not yet sent.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(raw), "huying_outbox_backlog 0\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained after restart:\n%s", raw)
		}
	}
	msgs, err := notify.ReadSMSLog(filepath.Join(dataDir, "sms.log"))
	if err != nil {
		t.Fatal(err)
	}
	perCode := map[string]int{}
	for _, m := range msgs {
		if m.Kind == "受理告知" {
			code := m.Text[strings.Index(m.Text, "PS") : strings.Index(m.Text, "PS")+16]
			perCode[code]++
		}
	}
	for _, code := range answered {
		if perCode[code] != 1 {
			t.Fatalf("appeal %s: %d acceptance notices, want exactly 1", code, perCode[code])
		}
	}
	for code, n := range perCode {
		if n != 1 {
			t.Fatalf("appeal %s: %d acceptance notices", code, n)
		}
	}
	t.Logf("%d answered appeals survived SIGKILL, %d acceptance SMS each sent once; %s", len(answered), len(perCode), strings.TrimSpace(out.String()))
}
