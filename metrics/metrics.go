// Package metrics serves Prometheus metrics at /metrics in the text
// exposition format, written by hand: a handful of gauges does not earn
// the client library's dependency tree.
package metrics

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"huying"
)

// Source is what the metrics read.
type Source struct {
	Store huying.Store
	// LastSweep returns the duration of the last sweep tick.
	LastSweep func() time.Duration
}

// Handler serves the metrics.
func Handler(src Source) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counts, err := src.Store.DeadlineCounts(r.Context())
		if err != nil {
			http.Error(w, "metrics unavailable", http.StatusServiceUnavailable)
			return
		}
		backlog, err := src.Store.OutboxBacklog(r.Context())
		if err != nil {
			http.Error(w, "metrics unavailable", http.StatusServiceUnavailable)
			return
		}
		byStatus, err := src.Store.CountByStatus(r.Context())
		if err != nil {
			http.Error(w, "metrics unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		fmt.Fprintln(w, "# HELP huying_deadlines_open Running stage clocks by stage and colour (open=green, yellow, red).")
		fmt.Fprintln(w, "# TYPE huying_deadlines_open gauge")
		agg := map[[2]string]int{}
		for _, c := range counts {
			agg[[2]string{c.Stage, string(c.State)}] += c.Count
		}
		keys := make([][2]string, 0, len(agg))
		for k := range agg {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
		for _, k := range keys {
			fmt.Fprintf(w, "huying_deadlines_open{stage=%q,state=%q} %d\n", k[0], k[1], agg[k])
		}
		fmt.Fprintln(w, "# HELP huying_appeals Appeals by status.")
		fmt.Fprintln(w, "# TYPE huying_appeals gauge")
		statuses := make([]string, 0, len(byStatus))
		for s := range byStatus {
			statuses = append(statuses, string(s))
		}
		sort.Strings(statuses)
		for _, s := range statuses {
			fmt.Fprintf(w, "huying_appeals{status=%q} %d\n", s, byStatus[huying.Status(s)])
		}
		fmt.Fprintln(w, "# HELP huying_outbox_backlog Notices waiting to be sent.")
		fmt.Fprintln(w, "# TYPE huying_outbox_backlog gauge")
		fmt.Fprintf(w, "huying_outbox_backlog %d\n", backlog)
		if src.LastSweep != nil {
			fmt.Fprintln(w, "# HELP huying_sweep_duration_seconds Duration of the last deadline sweep.")
			fmt.Fprintln(w, "# TYPE huying_sweep_duration_seconds gauge")
			fmt.Fprintf(w, "huying_sweep_duration_seconds %g\n", src.LastSweep().Seconds())
		}
	})
}
