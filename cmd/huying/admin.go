package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"huying"
	"huying/demo"
	"huying/identity"
	"huying/internal/loadgen"
	"huying/internal/sqlstore"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := DefaultConfig()
	fs := cmdFlagSet("migrate", stderr)
	c.dataFlags(fs)
	if err := c.parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	store, err := c.openStore(ctx) // opening migrates
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintln(stdout, "数据库结构已是最新。")
	return nil
}

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := DefaultConfig()
	fs := cmdFlagSet("seed", stderr)
	c.dataFlags(fs)
	fs.BoolVar(&c.Demo, "demo", false, "写入坪山区演示数据（单位、用户、令牌和数百件诉求）")
	bulk := fs.Int("bulk", 0, "另外生成这么多件过去一年的负载诉求（无事件、无时限），用于测量控制台在大数据量下的速度")
	if err := c.parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if *bulk < 0 || *bulk > 5_000_000 {
		return fmt.Errorf("--bulk 须在 0 到 500 万之间")
	}
	if !c.Demo {
		return fmt.Errorf("请加 --demo：目前只有坪山区演示数据")
	}
	store, svc, ids, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	seeded, err := demo.SeedIfEmpty(ctx, svc, ids, c.Data, stderr)
	if err != nil {
		return err
	}
	if !seeded {
		fmt.Fprintln(stdout, "数据库中已有单位，未重复写入演示数据。")
		return nil
	}
	if *bulk > 0 {
		fmt.Fprintf(stderr, "生成 %d 件负载诉求…\n", *bulk)
		if err := loadgen.Bulk(ctx, store.(*sqlstore.DB), *bulk, time.Now()); err != nil {
			return fmt.Errorf("生成负载诉求：%w", err)
		}
	}
	fmt.Fprintf(stdout, "演示数据已写入。登录密码均为 %s；渠道接口令牌见 %s。\n", demo.Password, demo.TokenFile(c.Data))
	return nil
}

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := fmt.Errorf("用法：huying user add --username 名称 --name 姓名 --unit 单位编码 --roles 角色,角色\n" +
		"      huying user passwd --username 名称\n（密码取自环境变量 HUYING_PASSWORD）")
	if len(args) == 0 || args[0] != "add" && args[0] != "passwd" {
		return usage
	}
	c := DefaultConfig()
	fs := cmdFlagSet("user "+args[0], stderr)
	c.dataFlags(fs)
	var in identity.NewUser
	var roles string
	fs.StringVar(&in.Username, "username", "", "登录名")
	if args[0] == "add" {
		fs.StringVar(&in.Name, "name", "", "姓名")
		fs.StringVar(&in.UnitID, "unit", "", "单位编码")
		fs.StringVar(&roles, "roles", "", "角色，逗号分隔："+roleList())
	}
	if err := c.parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	// The password comes from the environment so that it is not in the shell history.
	in.Password = os.Getenv("HUYING_PASSWORD")
	if in.Password == "" {
		return fmt.Errorf("请通过环境变量 HUYING_PASSWORD 提供密码（至少 %d 位，不含登录名，不能是常见密码）", identity.MinPasswordRunes)
	}
	for r := range strings.SplitSeq(roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			in.Roles = append(in.Roles, huying.Role(r))
		}
	}
	store, _, ids, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if args[0] == "passwd" {
		if err := ids.SetPasswordByName(ctx, in.Username, in.Password); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "已修改用户 %s 的密码，其登录会话已全部退出。\n", in.Username)
		return nil
	}
	u, err := ids.CreateUser(ctx, huying.Actor{}, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "已添加用户 %s（编号 %d）。\n", u.Username, u.ID)
	return nil
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := fmt.Errorf("用法：huying token add --name 名称 --channel 渠道 [--scopes intake,read,open311] [--expires 2160h]\n" +
		"      huying token list\n      huying token revoke --id 编号")
	if len(args) == 0 || !slices.Contains([]string{"add", "list", "revoke"}, args[0]) {
		return usage
	}
	c := DefaultConfig()
	fs := cmdFlagSet("token "+args[0], stderr)
	c.dataFlags(fs)
	var in identity.NewToken
	var scopes string
	var expires time.Duration
	var id int64
	switch args[0] {
	case "add":
		fs.StringVar(&in.Name, "name", "", "令牌名称")
		fs.StringVar(&in.Channel, "channel", "", "渠道，如 小程序、Open311")
		fs.StringVar(&scopes, "scopes", "intake,read", "权限，逗号分隔：intake（受理）、read（回读本渠道诉求）、open311（Open311 api_key）")
		fs.DurationVar(&expires, "expires", 0, "有效期，如 2160h（90 天）；0 为长期有效，直到吊销")
	case "revoke":
		fs.Int64Var(&id, "id", 0, "令牌编号（见 huying token list）")
	}
	if err := c.parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	store, _, ids, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "list":
		list, err := store.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, tk := range list {
			state := "有效"
			if !tk.Live(time.Now()) {
				state = "已吊销或过期"
			}
			fmt.Fprintf(stdout, "%d\t%s…\t%s\t%s\t%v\t%s\t%s\n", tk.ID, tk.Prefix, tk.Name, tk.Channel, tk.Scopes,
				tk.CreatedAt.Format(time.DateTime), state)
		}
		return nil
	case "revoke":
		if err := ids.RevokeToken(ctx, huying.Actor{}, id); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "已吊销令牌 %d，下一次请求起即失效。\n", id)
		return nil
	}
	for sc := range strings.SplitSeq(scopes, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			in.Scopes = append(in.Scopes, huying.Scope(sc))
		}
	}
	if expires > 0 {
		at := time.Now().Add(expires)
		in.ExpiresAt = &at
	}
	token, _, err := ids.CreateToken(ctx, huying.Actor{}, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintln(stderr, "令牌只显示这一次，请妥善保存。")
	return nil
}

func roleList() string {
	var names []string
	for _, r := range huying.Roles {
		names = append(names, string(r)+"("+huying.RoleNames[r]+")")
	}
	return strings.Join(names, " ")
}

// describe turns an application error into its Chinese message for the terminal.
func describe(err error) error {
	if f := huying.ErrorField(err); f != "" {
		return fmt.Errorf("%s（%s）", huying.ErrorMessage(err), f)
	}
	if huying.ErrorCode(err) != huying.EINTERNAL {
		return fmt.Errorf("%s", huying.ErrorMessage(err))
	}
	return err
}

// helpOK makes -h a success and passes other errors on.
func helpOK(err error) error {
	if isHelp(err) {
		return nil
	}
	return err
}
