package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"huying"
	"huying/demo"
	"huying/identity"
	"huying/sqlite"
	"huying/storetest"
	"huying/workday"
	"huying/workflow"
)

// TestAdminCommands: user add and token add against a data directory, with
// their refusals in Chinese. Not parallel: it sets HUYING_PASSWORD.
func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	setupChannel(t, dir) // a centre unit and a channel user
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append(args, "--data", dir), nil, &out, io.Discard)
		return out.String(), err
	}
	t.Setenv("HUYING_PASSWORD", "")
	if _, err := cli("user", "add", "--username", "li.si", "--name", "李四", "--unit", "ps-centre", "--roles", "dispatcher"); err == nil || !strings.Contains(err.Error(), "HUYING_PASSWORD") {
		t.Fatalf("no password: %v", err)
	}
	t.Setenv("HUYING_PASSWORD", "a-long-password")
	if _, err := cli("user", "add", "--username", "li.si", "--name", "李四", "--unit", "ps-centre", "--roles", "boss"); err == nil || !strings.Contains(err.Error(), "未知的角色") {
		t.Fatalf("bad role: %v", err)
	}
	if _, err := cli("user", "add", "--username", "li.si", "--name", "李四", "--unit", "nowhere", "--roles", "dispatcher"); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("bad unit: %v", err)
	}
	out, err := cli("user", "add", "--username", "li.si", "--name", "李四", "--unit", "ps-centre", "--roles", "dispatcher,supervisor")
	if err != nil || !strings.Contains(out, "li.si") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err := cli("user", "add", "--username", "li.si", "--name", "李四", "--unit", "ps-centre", "--roles", "dispatcher"); err == nil || !strings.Contains(err.Error(), "已存在") {
		t.Fatalf("duplicate user: %v", err)
	}
	out, err = cli("token", "add", "--name", "信箱接口", "--channel", "信箱", "--scopes", "intake")
	if err != nil || !strings.HasPrefix(out, "hyt_") {
		t.Fatalf("token add: %q %v", out, err)
	}
	if _, err := cli("token", "add", "--name", "x", "--channel", "信箱", "--scopes", "admin"); err == nil {
		t.Fatal("a token with an unknown scope")
	}
	if _, err := cli("token", "add", "--name", "x", "--channel", "没有这个渠道"); err == nil {
		t.Fatal("a token for an unknown channel")
	}
	if out, err := cli("token", "list"); err != nil || !strings.Contains(out, "信箱接口") || !strings.Contains(out, "有效") {
		t.Fatalf("token list: %q %v", out, err)
	}
	if out, err := cli("token", "revoke", "--id", "1"); err != nil || !strings.Contains(out, "已吊销") {
		t.Fatalf("token revoke: %q %v", out, err)
	}
	if out, err := cli("token", "list"); err != nil || !strings.Contains(out, "已吊销") {
		t.Fatalf("token list after revoke: %q %v", out, err)
	}
	t.Setenv("HUYING_PASSWORD", "short")
	if _, err := cli("user", "passwd", "--username", "li.si"); err == nil || !strings.Contains(err.Error(), "至少") {
		t.Fatalf("short password: %v", err)
	}
	t.Setenv("HUYING_PASSWORD", "另一个足够长的密码-42")
	if out, err := cli("user", "passwd", "--username", "li.si"); err != nil || !strings.Contains(out, "已修改") {
		t.Fatalf("user passwd: %q %v", out, err)
	}
	if out, err := cli("audit", "verify"); err != nil || !strings.Contains(out, "审计链完好") {
		t.Fatalf("audit verify: %q %v", out, err)
	}
}

// TestServeRefusesDemoPasswords: serve without --demo does not start while
// a demo account keeps the demo password, and says how to change it.
func TestServeRefusesDemoPasswords(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := workday.New(workday.Options{})
	svc := workflow.New(store, cal)
	ids := identity.Beside(store, svc)
	ids.PasswordCost = 4
	if err := ids.CreateUnit(ctx, huying.Actor{}, huying.Unit{ID: "ps-centre", Name: "分拨中心", Kind: huying.UnitCentre}); err != nil {
		t.Fatal(err)
	}
	if _, err := ids.CreateUser(ctx, huying.Actor{}, identity.NewUser{Username: demo.UserAdmin, Name: "管理员", Password: demo.Password,
		UnitID: "ps-centre", Roles: []huying.Role{huying.RoleAdmin}, DemoPassword: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := ids.CreateUser(ctx, huying.Actor{}, identity.NewUser{Username: "someone", Name: "他人", Password: demo.Password,
		UnitID: "ps-centre", Roles: []huying.Role{huying.RoleAdmin}}); err == nil {
		t.Fatal("a new account was given the demo password")
	}
	store.Close()
	err = run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--sms", "log"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "演示密码") || !strings.Contains(err.Error(), demo.UserAdmin) || !strings.Contains(err.Error(), "user passwd") {
		t.Fatalf("serve with a demo password: %v", err)
	}
	t.Setenv("HUYING_PASSWORD", "a-production-secret-42")
	if err := run(ctx, []string{"user", "passwd", "--username", demo.UserAdmin, "--data", dir}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Data = dir
	store2, _, ids2, err := c.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer store2.Close()
	if err := checkDemoPasswords(ctx, ids2); err != nil {
		t.Fatalf("after the change: %v", err)
	}
}

// TestAuditVerify: serve makes the key file (0600) and writes a signed
// checkpoint at start, into the database and its log; audit verify checks it
// with the key and the log; without a key it says the checkpoint could not be
// checked; with another key, or after the last event of an appeal is deleted,
// it prints one line per problem and fails; a key file others may read is
// refused. Not parallel: it sets HUYING_AUDIT_KEY and HUYING_DB.
func TestAuditVerify(t *testing.T) {
	t.Setenv("HUYING_DB", "")
	t.Setenv("HUYING_AUDIT_KEY", "")
	dir := t.TempDir()
	setupChannel(t, dir)
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := workday.New(workday.Options{})
	svc := workflow.New(store, cal)
	ids := identity.Beside(store, svc)
	ids.PasswordCost = 4
	u, err := ids.CreateUser(ctx, huying.Actor{}, identity.NewUser{Username: "intake", Name: "受理员", Password: "a-long-password",
		UnitID: "ps-centre", Roles: []huying.Role{huying.RoleIntake}})
	if err != nil {
		t.Fatal(err)
	}
	intake := huying.Actor{User: u}
	a, _, err := svc.Receive(ctx, intake, storetest.Intake(huying.TypeConsult), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, intake, a.ID, huying.CmdAnswer, workflow.Action{Note: "可在区政务服务中心办理。"}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	// serve: the key is made, and a checkpoint written at start.
	logPath := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(serveCtx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--sms", "log",
			"--audit-checkpoint-log", logPath}, nil, io.Discard, io.Discard)
	}()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if b, _ := os.ReadFile(logPath); len(b) > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("serve wrote no checkpoint")
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	keyPath := filepath.Join(dir, "audit.key")
	fi, err := os.Stat(keyPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v, want mode 0600", fi, err)
	}
	if b, _ := os.ReadFile(keyPath); len(strings.TrimSpace(string(b))) != 64 {
		t.Fatalf("key file %q, want 32 bytes in hex", b)
	}

	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append(args, "--data", dir), nil, &out, io.Discard)
		return out.String(), err
	}
	out, err := cli("audit", "verify", "--audit-checkpoint-log", logPath)
	if err != nil || !strings.HasPrefix(out, "审计链完好：") || !strings.Contains(out, "检查点 #1") ||
		!strings.Contains(out, "签名有效（密钥："+keyPath+"）") || !strings.Contains(out, "与检查点日志一致") {
		t.Fatalf("verify with the key and the log: %q %v", out, err)
	}
	// The key kept elsewhere: without it nothing is signed, with it all is.
	kept := filepath.Join(t.TempDir(), "audit.key")
	if err := os.Rename(keyPath, kept); err != nil {
		t.Fatal(err)
	}
	if out, err := cli("audit", "verify"); err != nil || !strings.Contains(out, "签名未能校验：没有审计密钥") {
		t.Fatalf("verify without a key: %q %v", out, err)
	}
	if out, err := cli("audit", "verify", "--audit-key-file", kept); err != nil || !strings.Contains(out, "签名有效") {
		t.Fatalf("verify with --audit-key-file: %q %v", out, err)
	}
	t.Setenv("HUYING_AUDIT_KEY", strings.Repeat("ab", 32))
	out, err = cli("audit", "verify")
	if err == nil || !strings.Contains(out, "检查点：检查点 #1 的签名不符") {
		t.Fatalf("verify with another key: %q %v", out, err)
	}
	t.Setenv("HUYING_AUDIT_KEY", "")

	// Someone deletes the appeal's last event.
	db, err := sql.Open("sqlite", filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER events_no_delete`,
		`DELETE FROM outbox WHERE event_id IN (SELECT id FROM events WHERE chain = 'appeal:1' AND seq = 2)`,
		`DELETE FROM events WHERE chain = 'appeal:1' AND seq = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	out, err = cli("audit", "verify", "--audit-key-file", kept)
	if err == nil || !strings.Contains(err.Error(), "审计校验发现 4 个问题") {
		t.Fatalf("verify after a deletion: %q %v", out, err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, want := range []string{
		"链 appeal:1 第 2 号事件（诉求 1）：链头记录到第 2 号事件，链上只到第 1 号：末尾的事件被删除",
		"链 appeal:1（诉求 1）：状态为「已直接答复」，事件记录为「已受理」：诉求表被直接改动",
		"链 appeal:1（诉求 1）：版本为「2」，事件记录为「1」：诉求表被直接改动",
		"链 appeal:1 第 2 号事件（诉求 1）：检查点 #1 时已有此事件，现在却没有了：事件被删除",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("output lacks the line %q:\n%s", want, out)
		}
	}
	if err := os.Chmod(kept, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cli("audit", "verify", "--audit-key-file", kept); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key file others may read: %v", err)
	}
}

// TestAuditKey: two nodes starting on one data directory make one key; the
// environment overrides the default file and --audit-key-file overrides the
// environment; bad keys are refused in Chinese. Not parallel: it sets
// HUYING_AUDIT_KEY.
func TestAuditKey(t *testing.T) {
	t.Setenv("HUYING_AUDIT_KEY", "")
	c := Config{Data: filepath.Join(t.TempDir(), "data")}
	var o auditOptions
	if key, _, err := o.key(c, false); key != nil || err != nil {
		t.Fatalf("without a key file and create: %x %v, want none", key, err)
	}
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], _, errs[i] = o.key(c, true) })
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || len(keys[i]) != 32 || !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("start %d: key %x %v, want the one key of the others", i, keys[i], errs[i])
		}
	}
	t.Setenv("HUYING_AUDIT_KEY", strings.Repeat("0f", 16))
	if key, source, err := o.key(c, true); err != nil || !bytes.Equal(key, bytes.Repeat([]byte{0x0f}, 16)) || !strings.Contains(source, "HUYING_AUDIT_KEY") {
		t.Fatalf("from the environment: %x %q %v", key, source, err)
	}
	o.KeyFile = filepath.Join(c.Data, "audit.key")
	if key, _, err := o.key(c, false); err != nil || !bytes.Equal(key, keys[0]) {
		t.Fatalf("--audit-key-file over the environment: %x %v", key, err)
	}
	o.KeyFile = ""
	t.Setenv("HUYING_AUDIT_KEY", "not hex")
	if _, _, err := o.key(c, true); err == nil || !strings.Contains(err.Error(), "HUYING_AUDIT_KEY") {
		t.Fatalf("a bad key in the environment: %v", err)
	}
	t.Setenv("HUYING_AUDIT_KEY", "")
	short := filepath.Join(t.TempDir(), "short.key")
	if err := os.WriteFile(short, []byte("abcd\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.KeyFile = short
	if _, _, err := o.key(c, true); err == nil || !strings.Contains(err.Error(), "至少 16 字节") {
		t.Fatalf("a short key file: %v", err)
	}
	o.KeyFile = filepath.Join(t.TempDir(), "missing.key")
	if _, _, err := o.key(c, true); err == nil {
		t.Fatal("a missing --audit-key-file was made or ignored")
	}
}
