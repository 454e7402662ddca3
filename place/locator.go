package place

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"huying"
)

// Locator places appeals for the workflow's triage: by point, else by the
// best gazetteer match of at least MinConfidence.
type Locator struct {
	MinConfidence float64
}

// Locate returns the street and community ids of a point in 坪山区.
func (l Locator) Locate(p huying.Point) (street, community string, ok bool) {
	pl, ok := Locate(orb.Point{p.Lng, p.Lat})
	return pl.StreetID, pl.CommunityID, ok
}

// Match returns the street and community ids of the best match of an
// address, with a note for the dispatcher; community is "" when only the
// street is known.
func (l Locator) Match(address string) (street, community, note string, ok bool) {
	c := Match(address)
	if len(c) == 0 || c[0].Confidence < l.MinConfidence {
		return "", "", "", false
	}
	best := c[0]
	note = fmt.Sprintf("地址匹配「%s」，可信度 %.0f%%", strings.Join(best.Matched, "、"), best.Confidence*100)
	return best.StreetID, best.CommunityID, note, true
}
