// Package workday does working-day and working-hour arithmetic for Chinese
// public administration: weekends, the statutory holidays (法定节假日) and the
// make-up workdays (调休上班日) that the State Council announces each year,
// and the working hours of a day (by default 09:00–12:00 and 14:00–18:00).
//
// The package is pure: it never reads the clock, and the only input it reads
// is through an fs.FS handed to it (the embedded data, or an administrator's
// data directory). All maths runs in the calendar's time zone, Asia/Shanghai by
// default; the program must make the zone database available, for example by
// importing time/tzdata (cmd/huying does).
//
// # Counting rules
//
// A day is a workday when it is a make-up workday of a loaded arrangement, or
// when it is Monday to Friday and not a day off of a loaded arrangement. Years
// without a loaded arrangement fall back to Monday–Friday; Calendar.Covers
// tells whether a year is covered, so callers can warn.
//
// Limits in working days follow the civil-code rule for periods (民法典 第二百零一条、
// 第二百零三条): the day on which the period starts is not counted, and the period
// ends when business stops on its last day. Calendar.AddWorkdays(t, n) is
// therefore the end of working hours of the n-th workday after t's date, whatever
// the time of day of t.
//
// Working time is measured on the wall clock of the calendar's zone. That is
// exact for zones without daylight saving time, such as Asia/Shanghai.
//
// # Data files
//
// Each year's arrangement is one JSON file, named after the year (2026.json).
// The package embeds the files under data/ for 2020–2027; an administrator can
// add or correct a year with `huying calendar import FILE`, which validates the
// file and copies it to <data dir>/calendar/<year>.json. Overlay reads that
// folder: a file there replaces the embedded arrangement of the same year
// as a whole. The format, with one entry per holiday as the notice lists them:
//
//	{
//	  "year": 2026,
//	  "source": "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
//	  "note": "optional free text",
//	  "holidays": [
//	    {"name": "元旦", "from": "2026-01-01", "to": "2026-01-03", "workdays": ["2026-01-04"]},
//	    {"name": "春节", "from": "2026-02-15", "to": "2026-02-23", "workdays": ["2026-02-14", "2026-02-28"]}
//	  ]
//	}
//
// "from" and "to" are the first and last day off, inclusive; every day between
// them is a day off, weekends included. "workdays" lists the Saturdays and
// Sundays on which people work instead (调休上班), and may be empty. Dates are
// YYYY-MM-DD and may fall in December of the previous year or January of the
// next one (a New Year holiday can start on 31 December). Unknown fields are
// rejected, holidays must not overlap, a make-up workday must be a Saturday or
// a Sunday, and no day may be both off and worked. When two files list the same
// date, the later year's file wins.
package workday
