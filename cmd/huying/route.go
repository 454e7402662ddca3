package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"huying/classify"
	"huying/demo"
	"huying/dispatch"
	"huying/models"
	"huying/place"
	"huying/route"
)

const routeUsage = `用法 (usage): huying route eval --cases FILE.csv [--split test] [--json] [--threshold T]
                                [--calibrate] [--target 0.97] [--catalogue FILE.json] [--model FILE]

Routes every labelled appeal as intake does (the shipped classifier, the 坪山区 gazetteer, the
dispatch catalogue — the demo's unless --catalogue) and reports top-1 and top-3 unit accuracy,
auto-dispatch coverage and precision at the threshold (default the shipped dispatch.AutoDispatchAt),
and per unit. --calibrate also picks the lowest threshold at which the one-sided 95 % lower bound of the
precision on the dev rows is at least --target (never looking at the test rows).
`

// runRoute runs "huying route ...". args excludes "route".
func runRoute(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprint(stderr, routeUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return nil
		}
		return errors.New("route: 子命令须为 eval (subcommand must be eval)")
	}
	fs := flag.NewFlagSet("route eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cases := fs.String("cases", "", "labelled appeals (CSV: id,split,lead,alternatives,matter,address,text)")
	split := fs.String("split", "", "evaluate only the rows of this split (dev or test); empty = all")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	threshold := fs.Float64("threshold", dispatch.AutoDispatchAt, "auto-dispatch confidence threshold")
	calibrate := fs.Bool("calibrate", false, "also choose the threshold on the dev rows")
	target := fs.Float64("target", 0.97, "the one-sided 95 % lower bound of precision the calibrated threshold must reach on the dev rows")
	catFile := fs.String("catalogue", "", "dispatch catalogue JSON (default: the demo's)")
	modelFile := fs.String("model", "", "classifier model (default: the shipped one)")
	if err := fs.Parse(args[1:]); err != nil {
		return classifyHelpOK(err)
	}
	if *cases == "" {
		fs.Usage()
		return errors.New("route eval: 请用 --cases 指定评测集")
	}
	if *split != "" && *split != "dev" && *split != "test" {
		return errors.New("route eval: --split 须为 dev 或 test")
	}
	f, err := os.Open(*cases)
	if err != nil {
		return err
	}
	rows, err := route.ReadCases(f)
	f.Close()
	if err != nil {
		return err
	}
	cat, err := demo.Catalogue()
	if *catFile != "" {
		var data []byte
		if data, err = os.ReadFile(*catFile); err == nil {
			cat, err = dispatch.Parse(data)
		}
	}
	if err != nil {
		return err
	}
	modelBytes := models.Teddy2020
	if *modelFile != "" {
		if modelBytes, err = os.ReadFile(*modelFile); err != nil {
			return err
		}
	}
	model, err := classify.Load(bytes.NewReader(modelBytes))
	if err != nil {
		return err
	}
	r := route.Router{Classifier: model, Places: place.Locator{MinConfidence: 0.5}, Catalogue: cat}
	outcomes := r.Run(rows)
	rep := route.Evaluate(outcomes, *split, *threshold)
	if *calibrate {
		c := route.Calibrate(outcomes, "dev", *target)
		rep.Calibrated = &c
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	names := map[string]string{}
	for _, u := range demo.Units() {
		names[u.ID] = u.Name
	}
	return rep.WriteText(stdout, names)
}
