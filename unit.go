package huying

import (
	"context"
	"time"
)

// UnitKind is the kind of a unit in the one unit tree (the "1+6+23+N" structure).
type UnitKind string

// Unit kinds.
const (
	UnitCentre     UnitKind = "centre"     // 区民生诉求分拨中心
	UnitStreet     UnitKind = "street"     // 街道
	UnitCommunity  UnitKind = "community"  // 社区
	UnitDepartment UnitKind = "department" // 职能部门
	UnitEnterprise UnitKind = "enterprise" // 公共服务企业
)

// Valid reports whether k is a known unit kind.
func (k UnitKind) Valid() bool {
	switch k {
	case UnitCentre, UnitStreet, UnitCommunity, UnitDepartment, UnitEnterprise:
		return true
	}
	return false
}

// Unit is a handling or coordinating body: the district centre, a street, a
// community, a department or a public-service enterprise.
type Unit struct {
	ID       string   `json:"id"`
	ParentID string   `json:"parent_id,omitempty"`
	Name     string   `json:"name"`
	Kind     UnitKind `json:"kind"`
	// DisabledAt is set while an admin has disabled the unit (停用): it
	// gets no new orders, and keeps finishing the ones it has.
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
	// Version counts the unit's changes, for compare-and-set edits.
	Version int `json:"version"`
}

// Disabled reports whether the unit is disabled.
func (u *Unit) Disabled() bool { return u != nil && u.DisabledAt != nil }

// ParentKinds are the kinds a unit of each kind may sit under in the
// tree ("" is the root): the centre at the root, streets under the
// centre, communities under a street, departments and enterprises under
// the centre or at the root.
var ParentKinds = map[UnitKind][]UnitKind{
	UnitCentre:     {""},
	UnitStreet:     {UnitCentre},
	UnitCommunity:  {UnitStreet},
	UnitDepartment: {UnitCentre, ""},
	UnitEnterprise: {UnitCentre, ""},
}

// UnitStore reads and writes units.
type UnitStore interface {
	// Unit returns a unit. Returns ENOTFOUND if there is none with that id.
	Unit(ctx context.Context, id string) (*Unit, error)
	// Units returns all units ordered by id.
	Units(ctx context.Context) ([]*Unit, error)
}

// UnitTx reads and adds the units of the district tree.
type UnitTx interface {
	// Unit reads a unit. Returns ENOTFOUND.
	Unit(id string) (*Unit, error)
	// Units reads every unit.
	Units() ([]*Unit, error)
	// CreateUnit inserts a unit. Returns ECONFLICT if the id is taken, EINVALID if the parent is unknown.
	CreateUnit(u *Unit) error
	// UpdateUnit writes a unit's name, parent and disabled time if its
	// version is still version, and sets u.Version to version+1. Returns
	// ECONFLICT when another change came first, ENOTFOUND.
	UpdateUnit(u *Unit, version int) error
}

// CentreID returns the id of the district centre among units: the root
// unit of kind centre ("" while the district has none).
func CentreID(units []*Unit) string {
	for _, u := range units {
		if u.Kind == UnitCentre && u.ParentID == "" {
			return u.ID
		}
	}
	return ""
}
