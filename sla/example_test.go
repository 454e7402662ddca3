package sla_test

import (
	"fmt"
	"time"

	"huying/sla"
	"huying/workday"
)

func ExampleCompute() {
	cal, _ := workday.New(workday.Options{})
	p, _ := sla.Default().Profile(sla.Key{Type: sla.TypeComplaint, Urgency: sla.UrgencyNormal})
	received := time.Date(2026, time.September, 30, 16, 0, 0, 0, cal.Location())
	d, _ := sla.Compute(p, cal, sla.StageClose, received)
	fmt.Println(d.Limit.Label())
	fmt.Println("warn", d.WarnAt.Format(time.RFC3339))
	fmt.Println("due ", d.DueAt.Format(time.RFC3339))
	// Output:
	// 15个工作日
	// warn 2026-10-22T18:00:00+08:00
	// due  2026-10-27T18:00:00+08:00
}

func ExampleSchedule() {
	cal, _ := workday.New(workday.Options{})
	p, _ := sla.Default().Profile(sla.Key{Type: sla.TypeConsult, Urgency: sla.UrgencyUrgent})
	received := time.Date(2026, time.October, 1, 9, 0, 0, 0, cal.Location())
	for _, d := range sla.Schedule(p, cal, received) {
		fmt.Printf("%-13s %-4s due %s\n", d.Stage, d.Limit, d.DueAt.Format("01-02 15:04"))
	}
	// Output:
	// dispatch      0.5h due 10-01 09:30
	// sign          0.5h due 10-01 10:00
	// first_contact 24h  due 10-02 10:00
	// return        1wd  due 10-08 18:00
	// arbitrate     2h   due 10-08 20:00
	// close         2h   due 10-01 11:00
	// extension     10wd due 10-20 18:00
	// review        1wd  due 10-08 18:00
	// callback      1wd  due 10-08 18:00
}
