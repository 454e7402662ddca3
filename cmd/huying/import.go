package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"

	"huying"
	"huying/transfer"
)

// runImport is huying import appeals: history from another system, from
// a CSV or xlsx file, as the console's upload does it.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := fmt.Errorf("用法：huying import appeals --file 文件.csv|文件.xlsx [--dry-run] [--mapping 映射.json] [--source 来源名称]")
	if len(args) == 0 || args[0] != "appeals" {
		return usage
	}
	c := DefaultConfig()
	fs := cmdFlagSet("import appeals", stderr)
	c.dataFlags(fs)
	file := fs.String("file", "", "要导入的 .csv（UTF-8）或 .xlsx 文件，第 1 行为列名")
	dry := fs.Bool("dry-run", false, "只检查每一行并报告，不写入任何数据")
	mappingFile := fs.String("mapping", "", "列映射 JSON 文件：{source, columns, statuses, defaults}")
	source := fs.String("source", "", "来源系统名称（覆盖映射中的 source；默认「导入」）")
	if err := c.parseFlags(fs, args[1:]); err != nil {
		return helpOK(err)
	}
	if *file == "" {
		return usage
	}
	format, err := transfer.FormatOf(*file)
	if err != nil {
		return fmt.Errorf("%s", huying.ErrorMessage(err))
	}
	if _, err := os.Stat(*file); err != nil {
		return fmt.Errorf("读取导入文件：%w", err)
	}
	var m transfer.Mapping
	if *mappingFile != "" {
		mf, err := os.Open(*mappingFile)
		if err != nil {
			return fmt.Errorf("读取映射文件：%w", err)
		}
		m, err = transfer.ReadMapping(mf)
		mf.Close()
		if err != nil {
			return fmt.Errorf("映射文件 %s：%s", *mappingFile, huying.ErrorMessage(err))
		}
	}
	if *source != "" {
		m.Source = *source
	}
	store, svc, _, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	opt := transfer.ImportOptions{Format: format, Mapping: m, DryRun: *dry, Progress: progress(stderr)}
	open := func() (io.ReadCloser, error) { return os.Open(*file) }
	rep, err := transfer.New(svc).ImportAppeals(ctx, huying.Actor{}, open, opt)
	if err != nil {
		if code := huying.ErrorCode(err); code == huying.EINVALID || code == huying.EFORBIDDEN {
			return fmt.Errorf("%s", huying.ErrorMessage(err))
		}
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, e.String())
	}
	if rep.Failed > len(rep.Errors) {
		fmt.Fprintf(stdout, "……另有 %d 行错误未列出。\n", rep.Failed-len(rep.Errors))
	}
	fmt.Fprintln(stdout, rep.Message)
	return nil
}

// progress reports an import's progress on stderr: a bar on a terminal,
// a plain line per batch otherwise (a log, a pipe).
func progress(stderr io.Writer) func(done, total int) {
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			var bar *progressbar.ProgressBar
			return func(done, total int) {
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("导入"),
						progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("行"),
						progressbar.OptionOnCompletion(func() { fmt.Fprintln(f) }))
				}
				_ = bar.Set(done)
			}
		}
	}
	return func(done, total int) { fmt.Fprintf(stderr, "已处理 %d / %d 行\n", done, total) }
}
