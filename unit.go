package huying

import "context"

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
