package main

import (
	"context"
	"fmt"
	"strings"

	"huying/demo"
	"huying/identity"
)

// checkDemoPasswords refuses to serve real use while a demo account still
// has the well-known demo password, and says how to change it.
func checkDemoPasswords(ctx context.Context, ids *identity.Service) error {
	found, err := ids.UsersWithPassword(ctx, demo.Usernames(), demo.Password)
	if err != nil || len(found) == 0 {
		return err
	}
	shown := found
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("等 %d 个", len(found)))
	}
	return fmt.Errorf("以下账号仍在使用演示密码，拒绝以生产方式启动：%s。\n"+
		"请逐个修改密码：HUYING_PASSWORD='新密码' huying user passwd --username 登录名（或在控制台“用户管理”中重置），"+
		"演示环境请加 --demo；确需临时运行可加 --allow-demo-passwords", strings.Join(shown, "、"))
}
