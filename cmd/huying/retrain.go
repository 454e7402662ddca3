package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"huying/classify"
	"huying/modelstore"
)

// classifyRetrain runs "huying classify retrain": a new model from the
// base corpus and the installation's history, promoted only if it passes
// modelstore's promotion rules on the shipped held-back set.
func classifyRetrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := DefaultConfig()
	fs := cmdFlagSet("classify retrain", stderr)
	c.dataFlags(fs)
	base := fs.String("base", "", "基础训练集 CSV（必需，如 teddy2020/train.csv；与留出集重复的行自动排除）")
	textCol := fs.String("text-column", "分词文本", "基础训练集的文本列")
	labelCol := fs.String("label-column", "一级标签", "基础训练集的标签列")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := c.parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	store, svc, _, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	var b *classify.Dataset
	if *base != "" {
		ds, err := modelstore.ReadBase(*base, *textCol, *labelCol)
		if err != nil {
			return err
		}
		b = &ds
	}
	rec, _, err := modelstore.Retrain(ctx, c.Data, svc, b, stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rec)
	}
	fmt.Fprintln(stdout, rec.Summary)
	if rec.Promoted {
		fmt.Fprintln(stdout, "正在运行的服务重启后使用新模型。")
	}
	return nil
}
