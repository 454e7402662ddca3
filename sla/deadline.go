package sla

import (
	"errors"
	"fmt"
	"math"
	"time"

	"huying/workday"
)

// Deadline is when one stage is due and when it turns yellow.
type Deadline struct {
	// Stage is the stage the deadline is for.
	Stage Stage
	// Limit is the limit the deadline was computed from.
	Limit Limit
	// Start is the instant the stage's clock started.
	Start time.Time
	// DueAt is the end of the limit: after it the stage is overdue (red).
	DueAt time.Time
	// WarnAt is when the profile's WarnRatio of the limit has been used
	// (yellow); WarnAt <= DueAt.
	WarnAt time.Time
}

// ErrNoLimit is returned by Compute when the profile has no limit for the
// stage.
var ErrNoLimit = errors.New("sla: no limit for stage")

// Compute returns the deadline of stage for an appeal whose stage started at
// start, in the calendar's zone. See the package documentation for how each
// unit is counted and how the warning time is placed.
func Compute(p *Profile, cal *workday.Calendar, stage Stage, start time.Time) (Deadline, error) {
	l, ok := p.Limits[stage]
	if !ok {
		return Deadline{}, fmt.Errorf("%w: %s has no %s limit", ErrNoLimit, p.Key, stage)
	}
	return computeLimit(l, p.WarnRatio, cal, stage, start), nil
}

func computeLimit(l Limit, ratio float64, cal *workday.Calendar, stage Stage, start time.Time) Deadline {
	start = start.In(cal.Location())
	d := Deadline{Stage: stage, Limit: l, Start: start}
	switch l.Unit {
	case ClockHours:
		limit := l.Duration()
		d.DueAt = start.Add(limit)
		d.WarnAt = InWorkingHours(cal, start, start.Add(share(limit, ratio)), d.DueAt)
	case WorkingHours:
		limit := l.Duration()
		d.DueAt = cal.AddWorkingHours(start, limit)
		d.WarnAt = cal.AddWorkingHours(start, share(limit, ratio))
	case WorkingDays:
		n := int(l.Amount)
		d.DueAt = cal.AddWorkdays(start, n)
		// The n days are whole working days from the next workday's start;
		// the warning comes when the ratio of their working time is used.
		total := time.Duration(n) * cal.DayLength()
		d.WarnAt = cal.AddWorkingHours(cal.StartOfNextWorkday(start), share(total, ratio))
	}
	return d
}

// InWorkingHours moves a warning time warn of a clock running from start to
// due into working hours, so that the yellow light reaches people at work:
// forward to the next working start if that comes before due, or else back
// to the end of the last working hours since start; otherwise warn stays (a
// 7×24 clock that starts and ends outside working hours).
func InWorkingHours(cal *workday.Calendar, start, warn, due time.Time) time.Time {
	if cal.IsWorkingTime(warn) {
		return warn
	}
	if next := cal.AddWorkingHours(warn, time.Second).Add(-time.Second); next.Before(due) {
		return next.In(warn.Location())
	}
	if w := cal.WorkingTimeBetween(start, warn); w > 0 {
		return cal.AddWorkingHours(start, w).In(warn.Location())
	}
	return warn
}

// share returns ratio of d, rounded to the second so that warning times read
// cleanly (80% of 2 h is 1h36m, not 1h35m59.999999999s).
func share(d time.Duration, ratio float64) time.Duration {
	return time.Duration(math.Round(float64(d)*ratio/float64(time.Second))) * time.Second
}

// Schedule returns the deadline of every stage the profile limits, in the
// order of Stages, for an appeal received at received. Each stage starts at
// the deadline of its Stage.Anchor (or at received when the anchor has no
// limit): the latest timeline the rules allow, which is what `huying sla
// explain` shows. Live deadlines are computed with Compute from the instant
// each stage actually starts.
func Schedule(p *Profile, cal *workday.Calendar, received time.Time) []Deadline {
	out := make([]Deadline, 0, len(Stages))
	due := make([]time.Time, len(Stages)) // by index in Stages
	for i, s := range Stages {
		l, ok := p.Limits[s]
		if !ok {
			continue
		}
		start := received
		if a := s.Anchor(); a != "" {
			if j := stageIndex(a); j >= 0 && !due[j].IsZero() {
				start = due[j]
			}
		}
		d := computeLimit(l, p.WarnRatio, cal, s, start)
		due[i] = d.DueAt
		out = append(out, d)
	}
	return out
}

func stageIndex(s Stage) int {
	for i, t := range Stages {
		if t == s {
			return i
		}
	}
	return -1
}
