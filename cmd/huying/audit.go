package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"huying"
	"huying/audit"
)

// auditOptions are the checkpoint settings of serve and audit verify.
type auditOptions struct {
	KeyFile string        // --audit-key-file; else HUYING_AUDIT_KEY; else <data>/audit.key
	Every   time.Duration // --audit-checkpoint-every (serve)
	Log     string        // --audit-checkpoint-log
}

// flags registers the options; serve adds the interval.
func (o *auditOptions) flags(fs *flag.FlagSet, serve bool) {
	fs.StringVar(&o.KeyFile, "audit-key-file", "", "审计检查点的签名密钥文件（十六进制）；不填则取环境变量 HUYING_AUDIT_KEY（十六进制），"+
		"再不然用数据目录中的 audit.key（serve 首次启动时生成，权限 600）。密钥不在数据库中，改库的人无法伪造检查点")
	if serve {
		fs.DurationVar(&o.Every, "audit-checkpoint-every", audit.DefaultInterval, "写审计检查点的间隔（启动时另写一个）；0 不写")
		fs.StringVar(&o.Log, "audit-checkpoint-log", "", "另把每个检查点作为一行 JSON 追加到此文件；宜放在另一台机器上（挂载目录或日志转发），供 audit verify 核对")
	} else {
		fs.StringVar(&o.Log, "audit-checkpoint-log", "", "serve 写下的检查点日志：其最后一个检查点须仍在数据库中、未被改动")
	}
}

// check validates the options at start.
func (o *auditOptions) check() error {
	switch {
	case o.Every < 0 || (o.Every > 0 && o.Every < time.Second):
		return fmt.Errorf("--audit-checkpoint-every 须为 0（不写）或至少 1s")
	case o.Every == 0 && o.Log != "":
		return fmt.Errorf("--audit-checkpoint-log 需要写检查点：--audit-checkpoint-every 不能为 0")
	}
	return nil
}

// key returns the checkpoint key and where it came from: the file given
// with --audit-key-file, else HUYING_AUDIT_KEY, else <data>/audit.key. With
// create, a missing default file is made with 32 random bytes (0600); without,
// it means no key (nil, "", nil). A key file others may read is refused.
func (o *auditOptions) key(c Config, create bool) ([]byte, string, error) {
	if o.KeyFile == "" {
		if env := strings.TrimSpace(os.Getenv("HUYING_AUDIT_KEY")); env != "" {
			key, err := hex.DecodeString(env)
			if err != nil || len(key) < audit.MinKeyLen {
				return nil, "", fmt.Errorf("环境变量 HUYING_AUDIT_KEY 须为至少 %d 字节的十六进制密钥", audit.MinKeyLen)
			}
			return key, "环境变量 HUYING_AUDIT_KEY", nil
		}
	}
	path := o.KeyFile
	if path == "" {
		path = filepath.Join(c.Data, "audit.key")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if !create {
				return nil, "", nil
			}
			if err := writeNewKey(path); err != nil && !errors.Is(err, fs.ErrExist) {
				return nil, "", fmt.Errorf("生成审计密钥 %s：%w", path, err)
			}
		}
	}
	key, err := readKey(path)
	if err != nil {
		return nil, "", err
	}
	return key, path, nil
}

// writeNewKey writes 32 random bytes, in hex, to a new file readable by its
// owner only. The file appears whole or not at all (a hard link of a
// finished temporary file), so that two nodes starting on one data
// directory agree on one key: the second gets fs.ErrExist and reads it.
func writeNewKey(path string) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".audit.key-*") // 0600
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if err := errors.Join(err, f.Close()); err != nil {
		return err
	}
	return os.Link(f.Name(), path)
}

func readKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("读取审计密钥：%w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("审计密钥文件 %s 的权限为 %04o，其他用户也能读取；请执行 chmod 600 %s", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取审计密钥：%w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < audit.MinKeyLen {
		return nil, fmt.Errorf("审计密钥文件 %s 须为至少 %d 字节的十六进制密钥", path, audit.MinKeyLen)
	}
	return key, nil
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("用法：huying audit verify [--audit-key-file 文件] [--audit-checkpoint-log 文件]")
	}
	c := DefaultConfig()
	fs := cmdFlagSet("audit verify", stderr)
	c.dataFlags(fs)
	var o auditOptions
	o.flags(fs, false)
	if err := c.parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	key, source, err := o.key(c, false)
	if err != nil {
		return err
	}
	var logged *huying.Checkpoint
	if o.Log != "" {
		if logged, err = audit.ReadLog(o.Log); err != nil {
			return describe(err)
		}
	}
	store, err := c.openStore(ctx)
	if err != nil {
		return fmt.Errorf("打开数据库：%w", err)
	}
	defer store.Close()
	r, err := audit.Verify(ctx, store, audit.Options{Key: key, Logged: logged})
	if err != nil {
		return fmt.Errorf("审计校验未能完成：%w", err)
	}
	for _, p := range r.Problems {
		fmt.Fprintln(stdout, p)
	}
	if more := r.Total - len(r.Problems); more > 0 {
		fmt.Fprintf(stdout, "……另有 %d 个问题未列出。\n", more)
	}
	counts := fmt.Sprintf("%d 条链，%d 个事件，%d 件诉求", r.Chains, r.Events, r.Appeals)
	if !r.OK() {
		return fmt.Errorf("审计校验发现 %d 个问题（已校验 %s）", r.Total, counts)
	}
	fmt.Fprintf(stdout, "审计链完好：%s与其事件一致；%s\n", counts, checkpointLine(r, source, logged != nil))
	return nil
}

// checkpointLine says what was checked of the newest checkpoint.
func checkpointLine(r *audit.Report, keySource string, logged bool) string {
	c := r.Checkpoint
	if c == nil {
		return "尚无检查点（huying serve 启动时写入第一个）。"
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.UTC
	}
	what := fmt.Sprintf("检查点 #%d（%s，覆盖 %d 条链、%d 个事件）", c.ID, c.At.In(loc).Format(time.DateTime), c.Heads, c.Events)
	if r.Keyless {
		return what + "的签名未能校验：没有审计密钥（--audit-key-file、环境变量 HUYING_AUDIT_KEY 或数据目录中的 audit.key），" +
			"重新计算过哈希的事件链无法识别。"
	}
	line := what + "签名有效（密钥：" + keySource + "）"
	if logged {
		line += "，与检查点日志一致"
	}
	return line + "。"
}
