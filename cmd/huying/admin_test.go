package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"huying"
	"huying/demo"
	"huying/sqlite"
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
	svc.PasswordCost = 4
	if err := svc.CreateUnit(ctx, huying.Actor{}, huying.Unit{ID: "ps-centre", Name: "分拨中心", Kind: huying.UnitCentre}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, huying.Actor{}, workflow.NewUser{Username: demo.UserAdmin, Name: "管理员", Password: demo.Password,
		UnitID: "ps-centre", Roles: []huying.Role{huying.RoleAdmin}, DemoPassword: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, huying.Actor{}, workflow.NewUser{Username: "someone", Name: "他人", Password: demo.Password,
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
	store2, svc2, err := c.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer store2.Close()
	if err := checkDemoPasswords(ctx, svc2); err != nil {
		t.Fatalf("after the change: %v", err)
	}
}
