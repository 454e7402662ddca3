package huying

import (
	"context"
	"time"
)

// Channel kinds.
const (
	ChannelPhone      = "phone"      // 12345热线 (agent form)
	ChannelWeb        = "web"        // 网站
	ChannelMobile     = "mobile"     // 移动端 (resident self-service)
	ChannelMiniApp    = "miniapp"    // 小程序
	ChannelOpen311    = "open311"    // Open311 apps
	ChannelRadio      = "radio"      // 《民心桥》
	ChannelMail       = "mail"       // 信箱 / email
	ChannelGrid       = "grid"       // 网格上报
	ChannelParty      = "party"      // 党员随手拍
	ChannelDepartment = "department" // 部门系统
)

// ChannelKinds lists the kinds.
var ChannelKinds = []string{ChannelPhone, ChannelWeb, ChannelMobile, ChannelMiniApp, ChannelOpen311, ChannelRadio,
	ChannelMail, ChannelGrid, ChannelParty, ChannelDepartment}

// Channel is an intake channel in the registry: every appeal comes in
// through one. Tokens of the channel are limited to RatePerMinute requests
// (0: no limit); intakes without a type or urgency take the defaults;
// Publish lists the channel's appeals publicly (the 《民心桥》 on-air list).
type Channel struct {
	Name           string    `json:"name"`
	Kind           string    `json:"kind"`
	RatePerMinute  int       `json:"rate_per_minute"`
	DefaultType    string    `json:"default_type,omitempty"`
	DefaultUrgency string    `json:"default_urgency,omitempty"`
	Publish        bool      `json:"publish"`
	CreatedAt      time.Time `json:"created_at"`
}

// ChannelStat is one channel's figures.
type ChannelStat struct {
	Channel    string  `json:"channel"`
	Appeals    int     `json:"appeals"`
	Share      float64 `json:"share"`
	Duplicates int     `json:"duplicates"` // merged into another appeal (并单)
}

// ReporterStat is a community reporter's or party member's tally (党员积分).
type ReporterStat struct {
	UserID    int64  `json:"user_id"`
	Username  string `json:"username"`
	Name      string `json:"name"`
	UnitID    string `json:"unit_id"`
	Reports   int    `json:"reports"`
	Confirmed int    `json:"confirmed"` // dispatched for handling, or answered
	Points    int    `json:"points"`
}

// PointsPerReport is what a confirmed report earns its reporter.
const PointsPerReport = 10

// ChannelStore reads the channel registry and its figures.
type ChannelStore interface {
	// Channels lists the registry.
	Channels(ctx context.Context) ([]*Channel, error)
	// ChannelStats counts appeals and duplicates per channel.
	ChannelStats(ctx context.Context) ([]ChannelStat, error)
	// ReporterStats tallies reports filed through the given channels per
	// reporter: users with the reporter role only (an intake agent who files
	// under a reporters' channel earns nothing).
	ReporterStats(ctx context.Context, channels []string) ([]ReporterStat, error)
}

// ChannelTx changes the channel registry (受理渠道).
type ChannelTx interface {
	// PutChannel adds or replaces a channel of the registry.
	PutChannel(c *Channel) error
}
