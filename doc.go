// Package huying holds the domain vocabulary of Huying (呼应), a district's
// 民生诉求分拨系统: appeals (诉求), units (单位), users and roles, the status
// transition table of the appeal lifecycle, the hash-chained event log and
// the coded error type. It imports the standard library only; the workflow
// package implements the lifecycle on top of a Store, and the sqlite and
// postgres packages implement the Store.
package huying
