package huying

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AppealType is the kind of an appeal (Beijing 条例 Art. 2).
type AppealType string

// Appeal types.
const (
	TypeConsult    AppealType = "咨询"
	TypeHelp       AppealType = "求助"
	TypeComplaint  AppealType = "投诉"
	TypeReport     AppealType = "举报"
	TypeSuggestion AppealType = "建议"
)

// AppealTypes lists the appeal types.
var AppealTypes = []AppealType{TypeConsult, TypeHelp, TypeComplaint, TypeReport, TypeSuggestion}

// Urgency of an appeal.
type Urgency string

// Urgencies.
const (
	UrgencyNormal Urgency = "一般"
	UrgencyUrgent Urgency = "紧急"
)

// Result classes of a reply (办结).
const (
	ResultSolved    = "已解决"
	ResultPartly    = "部分解决"
	ResultUnsolved  = "未解决"
	ResultExplained = "解释说明"
)

// ResultClasses lists the result classes of a reply.
var ResultClasses = []string{ResultSolved, ResultPartly, ResultUnsolved, ResultExplained}

// Satisfaction values of a rating (回访评价).
const (
	Satisfied        = "满意"
	BasicSatisfied   = "基本满意"
	Unsatisfied      = "不满意"
	MaxRedo          = 2 // after this many redos an unsatisfied rating closes the appeal for supervision
	MaxContentRunes  = 5000
	MaxTitleRunes    = 100
	MaxAddressRunes  = 200
	MaxNameRunes     = 50
	MaxReasonRunes   = 2000
	MaxAttachments   = 9
	MaxAttachmentLen = 10 << 20
)

// Satisfactions lists the rating values.
var Satisfactions = []string{Satisfied, BasicSatisfied, Unsatisfied}

// RefuseReasons are the fixed reasons for not dispatching an appeal (国办函〔2025〕66号 (二)).
var RefuseReasons = []string{"转110", "转119", "转120", "转122", "告知法定途径", "不予受理"}

// ReturnReasons are the fixed reason codes of a return (退单).
var ReturnReasons = []string{"属地不符", "职能不符", "职责交叉", "权属不清", "诉求信息不全"}

// Channels are the intake channels a Huying installation knows by default.
// ResidentChannel is the channel of what residents file themselves after
// verifying their phone (移动端).
const ResidentChannel = "移动端"

var Channels = []string{"12345热线", "网站", "移动端", "小程序", "Open311", "民心桥", "信箱", "网格上报", "党员随手拍", "部门系统"}

// AttachmentTypes are the content types accepted for attachments.
var AttachmentTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "audio/mpeg", "audio/wave", "video/mp4"}

// Point is a WGS84 longitude/latitude.
type Point struct {
	Lng float64 `json:"lng"`
	Lat float64 `json:"lat"`
}

// Attachment is a file kept by content hash (sha256, hex).
type Attachment struct {
	Hash        string `json:"hash"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	// AddedBy is, for a file added after intake, the event that added it:
	// "supplement" (补充) or "reply" (答复).
	AddedBy string `json:"added_by,omitempty"`
}

// Assignment roles of a unit on an appeal.
const (
	AssignLead   = "lead"   // 主办
	AssignAssist = "assist" // 协办
	AssignCopy   = "copy"   // 抄送 (the district on 直派 to a street)
)

// Assignment puts a unit on an appeal as lead, assistant or copy.
type Assignment struct {
	UnitID string `json:"unit_id"`
	Role   string `json:"role"`
}

// Rating is the resident's evaluation after the callback (回访), with the
// four Shenzhen dimensions scored 1–5.
type Rating struct {
	Satisfaction string `json:"satisfaction"`
	Speed        int    `json:"speed"`
	Effect       int    `json:"effect"`
	Experience   int    `json:"experience"`
	ReplyQuality int    `json:"reply_quality"`
	Comment      string `json:"comment,omitempty"`
}

// Appeal is one resident's appeal (诉求工单).
type Appeal struct {
	ID           int64        `json:"id"`
	Code         string       `json:"code"`
	Type         AppealType   `json:"type"`
	Urgency      Urgency      `json:"urgency"`
	Channel      string       `json:"channel"`
	Title        string       `json:"title"`
	Content      string       `json:"content"`
	Address      string       `json:"address"`
	Point        *Point       `json:"point,omitempty"`
	ContactName  string       `json:"contact_name"`
	ContactPhone string       `json:"contact_phone"`
	Confidential bool         `json:"confidential"`
	Status       Status       `json:"status"`
	Version      int          `json:"version"`
	Assignments  []Assignment `json:"assignments"`
	Attachments  []Attachment `json:"attachments"`
	// AddedAttachments are the files supplements and replies added, with
	// the size and type recorded at upload.
	AddedAttachments []Attachment `json:"added_attachments,omitempty"`
	Designated       bool         `json:"designated"`
	RedoCount        int          `json:"redo_count"`
	MergedInto       int64        `json:"merged_into,omitempty"`
	// ParentID is, on a part of a split appeal (拆分子单), the appeal it
	// was split from.
	ParentID int64 `json:"parent_id,omitempty"`
	// AssigneeID is the handler of the lead unit the unit named for the
	// order (指派处理人); 0 while it has named none.
	AssigneeID  int64  `json:"assignee_id,omitempty"`
	ResultClass string `json:"result_class,omitempty"`
	// Category is the dispatch category path (分类), set at dispatch.
	Category string  `json:"category,omitempty"`
	Triage   *Triage `json:"triage,omitempty"`
	// Street and Community are the unit ids of the place (定位), set at intake.
	Street      string     `json:"street,omitempty"`
	Community   string     `json:"community,omitempty"`
	Rating      *Rating    `json:"rating,omitempty"`
	CreatedBy   int64      `json:"created_by,omitempty"`
	ReceivedAt  time.Time  `json:"received_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ContactedAt *time.Time `json:"contacted_at,omitempty"`
	// DueAt is the current handling deadline; OriginalDueAt keeps the one set
	// at dispatch when an extension moved DueAt.
	DueAt         *time.Time `json:"due_at,omitempty"`
	OriginalDueAt *time.Time `json:"original_due_at,omitempty"`
	// CallbackAttempts counts the unanswered callbacks (回访未接通) of the
	// current callback round, and CallbackAt is when the last one was made.
	CallbackAttempts int        `json:"callback_attempts,omitempty"`
	CallbackAt       *time.Time `json:"callback_at,omitempty"`
	// OnAir is what was said on air about an appeal of the 《民心桥》
	// programme, set by the centre.
	OnAir *OnAir `json:"on_air,omitempty"`

	// IdempotencyKey is channel + ":" + the client's Idempotency-Key.
	IdempotencyKey string `json:"-"`
}

// OnAir is the broadcast answer to an appeal of a radio programme
// (《民心桥》): the date it went on air, the official who answered and the
// answer given.
type OnAir struct {
	// BroadcastDate is the Beijing date of the programme, YYYY-MM-DD.
	BroadcastDate string `json:"broadcast_date"`
	Official      string `json:"official"`
	Answer        string `json:"answer"`
}

// Callback outcomes (回访结果) a staff member records with CmdRate.
const (
	CallbackReached   = "已回访" // the resident answered and rated
	CallbackUnreached = "未接通" // nobody answered: retried later, then 无法联系
)

// Callback retry defaults: domain-12345.md names no number of attempts nor
// their spacing, so three attempts a day apart are Huying's default.
const (
	DefaultCallbackAttempts = 3
	DefaultCallbackSpacing  = 24 * time.Hour
)

// MaxOfficialRunes caps the name and title of an on-air official.
const MaxOfficialRunes = 60

// LeadUnit returns the lead unit's id, or "".
func (a *Appeal) LeadUnit() string {
	for _, as := range a.Assignments {
		if as.Role == AssignLead {
			return as.UnitID
		}
	}
	return ""
}

// AssignedTo reports whether unit is on the appeal in any role.
func (a *Appeal) AssignedTo(unit string) bool {
	for _, as := range a.Assignments {
		if as.UnitID == unit {
			return true
		}
	}
	return false
}

// MaskPhone masks a phone number as 138****1234.
func MaskPhone(p string) string {
	if len(p) < 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// MaskName keeps the family name only: 张** .
func MaskName(n string) string {
	r := []rune(n)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

// Masked returns a copy of a with the contact masked.
func (a *Appeal) Masked() *Appeal {
	c := *a
	c.ContactName = MaskName(a.ContactName)
	c.ContactPhone = MaskPhone(a.ContactPhone)
	return &c
}

var (
	mobileRe   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlineRe = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}$`)
)

// IsMobile reports whether p is a mainland mobile number, the only kind an
// SMS reaches.
func IsMobile(p string) bool { return mobileRe.MatchString(p) }

// ValidPhone reports whether p is a mainland mobile or landline number.
func ValidPhone(p string) bool { return mobileRe.MatchString(p) || landlineRe.MatchString(p) }

// Intake is the input of CmdReceive.
type Intake struct {
	Type         AppealType   `json:"type"`
	Urgency      Urgency      `json:"urgency"`
	Channel      string       `json:"channel"`
	Title        string       `json:"title"`
	Content      string       `json:"content"`
	Address      string       `json:"address"`
	Point        *Point       `json:"point"`
	ContactName  string       `json:"contact_name"`
	ContactPhone string       `json:"contact_phone"`
	Confidential bool         `json:"confidential"`
	Attachments  []Attachment `json:"attachments"`
}

// Normalize trims spaces and fills defaults (urgency 一般).
func (in *Intake) Normalize() {
	for _, s := range []*string{&in.Channel, &in.Title, &in.Content, &in.Address, &in.ContactName, &in.ContactPhone} {
		*s = strings.TrimSpace(*s)
	}
	in.Type = AppealType(strings.TrimSpace(string(in.Type)))
	in.Urgency = Urgency(strings.TrimSpace(string(in.Urgency)))
	if in.Urgency == "" {
		in.Urgency = UrgencyNormal
	}
	in.ContactPhone = strings.ReplaceAll(in.ContactPhone, " ", "")
	if in.Title == "" {
		in.Title = DefaultTitle(StripBidi(in.Content))
	}
}

// Validate checks the required elements of an appeal (诉求工单要素).
func (in *Intake) Validate() error {
	// The transports check every string already; this keeps intakes from
	// elsewhere (imports, Open311 forms) to the same text rules.
	for _, f := range []struct{ name, value string }{
		{"title", in.Title}, {"contact_name", in.ContactName}, {"content", in.Content},
		{"address", in.Address}, {"channel", in.Channel}, {"contact_phone", in.ContactPhone}, {"type", string(in.Type)},
	} {
		check := CheckText
		if IsNameField(f.name) {
			check = CheckName
		}
		if err := check(f.name, f.value); err != nil {
			return err
		}
	}
	for _, at := range in.Attachments {
		if err := CheckName("attachments", at.Name); err != nil {
			return err
		}
	}
	switch {
	case !slices.Contains(AppealTypes, in.Type):
		return FieldErrorf("type", "诉求类型必须是咨询、求助、投诉、举报或建议之一")
	case in.Urgency != UrgencyNormal && in.Urgency != UrgencyUrgent:
		return FieldErrorf("urgency", "紧急程度必须是「一般」或「紧急」")
	case in.Content == "":
		return FieldErrorf("content", "请填写诉求内容")
	case utf8.RuneCountInString(in.Content) > MaxContentRunes:
		return FieldErrorf("content", "诉求内容不能超过 %d 个字", MaxContentRunes)
	case utf8.RuneCountInString(in.Title) > MaxTitleRunes:
		return FieldErrorf("title", "标题不能超过 %d 个字", MaxTitleRunes)
	case in.Address == "" && in.Point == nil:
		return FieldErrorf("address", "请填写诉求地址或在地图上选点")
	case utf8.RuneCountInString(in.Address) > MaxAddressRunes:
		return FieldErrorf("address", "地址不能超过 %d 个字", MaxAddressRunes)
	case in.Point != nil && (in.Point.Lng < 73 || in.Point.Lng > 136 || in.Point.Lat < 3 || in.Point.Lat > 54):
		return FieldErrorf("point", "坐标不在中国境内，请检查经纬度")
	case in.ContactName == "":
		return FieldErrorf("contact_name", "请填写联系人姓名")
	case utf8.RuneCountInString(in.ContactName) > MaxNameRunes:
		return FieldErrorf("contact_name", "联系人姓名不能超过 %d 个字", MaxNameRunes)
	case in.ContactPhone == "":
		return FieldErrorf("contact_phone", "请填写联系电话")
	case !ValidPhone(in.ContactPhone):
		return FieldErrorf("contact_phone", "联系电话格式不正确，请填写11位手机号或带区号的固定电话")
	case in.Channel == "":
		return FieldErrorf("channel", "请选择受理渠道")
	case utf8.RuneCountInString(in.Channel) > 30:
		return FieldErrorf("channel", "受理渠道名称过长")
	case len(in.Attachments) > MaxAttachments:
		return FieldErrorf("attachments", "附件不能超过 %d 个", MaxAttachments)
	}
	for _, at := range in.Attachments {
		if !ValidHash(at.Hash) {
			return FieldErrorf("attachments", "附件标识无效，请先上传附件")
		}
	}
	return nil
}

// DefaultTitle is the title of an appeal taken without one: its content up
// to the last clause boundary (，。；！？) within 30 characters, so that it is
// never cut mid-word ("…收费标准，输"); a content without one is cut at 30
// characters with "…".
func DefaultTitle(content string) string {
	const max, atLeast = 30, 8
	r := []rune(strings.Join(strings.Fields(content), " "))
	if len(r) <= max {
		return strings.TrimRight(string(r), "，。；！？,.;!? ")
	}
	for i := max; i >= atLeast; i-- {
		if strings.ContainsRune("，。；！？,.;!?", r[i]) {
			return string(r[:i])
		}
	}
	return string(r[:max]) + "…"
}

// AppealSort is the order of an appeal list.
type AppealSort string

// Appeal list orders.
const (
	SortNewest AppealSort = ""       // the newest appeal first
	SortDue    AppealSort = "due_at" // the earliest handling deadline first (a handler's inbox)
	// SortWaiting puts urgent appeals first, then the longest waiting: the
	// order of the dispatch queue, whose clocks start at intake.
	SortWaiting  AppealSort = "waiting"
	SortReceived AppealSort = "received_at"
	SortUpdated  AppealSort = "updated_at"
	SortCode     AppealSort = "code"
	SortStatus   AppealSort = "status"
	// SortOldest lists in the order of creation (the parts of a split).
	SortOldest AppealSort = "oldest"
)

// AppealSorts lists the orders a list may ask for. The column orders
// (all but SortNewest and SortWaiting) run ascending unless
// AppealFilter.Desc is set.
var AppealSorts = []AppealSort{SortNewest, SortDue, SortWaiting, SortReceived, SortUpdated, SortCode, SortStatus}

// Column reports whether s sorts by one column, and so takes a direction.
func (s AppealSort) Column() bool {
	return s != SortNewest && s != SortWaiting && slices.Contains(AppealSorts, s)
}

// Search limits: more or longer words than this are refused, so that one
// query cannot ask the text index for a thousand terms.
const (
	MaxSearchWords     = 8
	MaxSearchWordRunes = 50
	// MaxSearchTotal is how far a search by words counts its matches: a
	// common word is in tens of thousands of appeals, and counting them
	// all would read every one. Appeals then returns MaxSearchTotal+1 as
	// the total, meaning "more than MaxSearchTotal".
	MaxSearchTotal = 1000
)

// SearchWords splits a search into its words (any whitespace, including
// the ideographic space, separates them).
func SearchWords(q string) []string { return strings.Fields(q) }

// PhoneDigits is the normalised form of a phone number for the phone index:
// its digits only, without the country code 86 before a mobile number
// (「+86 138-0013-8000」 and 「13800138000」 are one number).
func PhoneDigits(p string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	if len(d) == 13 && strings.HasPrefix(d, "861") {
		d = d[2:]
	}
	return d
}

// PhoneTail is the last four digits of a phone number (PhoneDigits), the
// part a caller reads out or an agent sees in a masked number.
func PhoneTail(p string) string {
	d := PhoneDigits(p)
	if len(d) < 4 {
		return ""
	}
	return d[len(d)-4:]
}

// AppealFilter selects appeals for lists. Zero fields do not filter.
type AppealFilter struct {
	Statuses []Status
	UnitID   string // has an assignment of this unit
	// AssigneeID keeps the orders assigned to this handler (我的工单).
	AssigneeID int64
	// ParentID keeps the parts of this split appeal (拆分子单).
	ParentID  int64
	CreatedBy int64
	// HideConfidential drops confidential appeals unless CreatedBy matches.
	HideConfidential bool
	// Query is a search: every word of it (SearchWords) must appear in the
	// code, title, content or address; a word that is a whole tracking
	// code finds that appeal.
	Query string
	// Phone is a contact phone: a full number or its last four digits
	// (PhoneDigits decides which), found through the keyed phone index.
	Phone string
	// ContactName is the contact's full name.
	ContactName string
	Type        AppealType
	Urgency     Urgency
	Channel     string
	Street      string // placed in this street
	Community   string // placed in this community
	// Overdue keeps appeals with a clock past its deadline (red).
	Overdue bool
	// Flagged keeps appeals under 挂牌督办 (a flag, open or closed).
	Flagged bool
	// Redone keeps appeals sent back to redo at least once.
	Redone       bool
	ReceivedFrom time.Time
	ReceivedTo   time.Time
	// Reach, when set, keeps only the appeals one of its parts reaches.
	Reach *AppealReach
	// Sort orders the list: newest first by default.
	Sort AppealSort
	// Desc reverses a column sort (Sort.Column).
	Desc bool
	// Bare skips loading assignments and attachments.
	Bare   bool
	Limit  int
	Offset int

	// BeforeID keeps appeals with a smaller id: in the newest-first order,
	// the page after the last id seen, without an OFFSET (an export pages so).
	BeforeID int64
	// SkipTotal leaves the total uncounted (Appeals answers -1).
	SkipTotal bool
}

// AppealReach is what a user whose roles add up may list: what they filed,
// the appeals placed in their community that are not confidential (a
// community's reporters, 社区网格员), and those assigned to their unit
// (a handler). Zero parts reach nothing.
type AppealReach struct {
	CreatedBy int64
	Community string
	UnitID    string
}

// AppealStore reads appeals. Writes go through Tx.
type AppealStore interface {
	// Appeal returns an appeal by id. Returns ENOTFOUND.
	Appeal(ctx context.Context, id int64) (*Appeal, error)
	// AppealByCode returns an appeal by tracking code. Returns ENOTFOUND.
	AppealByCode(ctx context.Context, code string) (*Appeal, error)
	// Appeals returns the appeals matching f, newest first unless f sorts
	// otherwise, and the total count (for a search by words, at most
	// MaxSearchTotal+1: more than MaxSearchTotal).
	Appeals(ctx context.Context, f AppealFilter) ([]*Appeal, int, error)
	// CountByStatus returns the number of appeals in each status.
	CountByStatus(ctx context.Context) (map[Status]int, error)
	// RecentInCommunity returns the newest open appeals of a community
	// received since since (id, code and content only).
	RecentInCommunity(ctx context.Context, community string, since time.Time, limit int) ([]AppealText, error)
	// Stats counts the appeals received in [from, to) by type, channel,
	// community and Beijing date (received and closed per day).
	Stats(ctx context.Context, from, to time.Time) (*Stats, error)
}

// Stats are the figures of a period for the leader's dashboard.
type Stats struct {
	ByType      map[string]int `json:"by_type"`
	ByChannel   map[string]int `json:"by_channel"`
	ByCommunity map[string]int `json:"by_community"` // community unit id → appeals placed there
	ByDay       []DayCount     `json:"by_day"`
	// Ratings are the period's ratings: all of them, each appeal's first,
	// and the final ones (those that did not send the appeal to redo).
	Ratings RatingStats `json:"ratings"`
}

// RatingRecord is one rating (回访评价) kept as data, written with its rate
// event: Seq is its place among the appeal's ratings (1 = first), Redo
// says it sent the appeal back, UnitID is the lead unit it rates.
type RatingRecord struct {
	AppealID int64
	Seq      int
	UnitID   string
	Rating
	Redo bool
	At   time.Time
}

// BasicSatisfiedWeight is what a 基本满意 counts for in the satisfaction
// rate (the Beijing street-level scheme, domain-12345 §4.1).
const BasicSatisfiedWeight = 0.9

// SatisfactionDefinition states the satisfaction rate as the console shows it.
const SatisfactionDefinition = "满意率 =（满意 + 0.9 × 基本满意）÷ 有效回访数"

// RatingCounts counts valid callbacks (有效回访, ratings) by satisfaction.
type RatingCounts struct {
	Valid          int `json:"valid"`
	Satisfied      int `json:"satisfied"`
	BasicSatisfied int `json:"basic_satisfied"`
	Unsatisfied    int `json:"unsatisfied"`
}

// Add counts one rating of satisfaction s.
func (c *RatingCounts) Add(s string, n int) {
	c.Valid += n
	switch s {
	case Satisfied:
		c.Satisfied += n
	case BasicSatisfied:
		c.BasicSatisfied += n
	case Unsatisfied:
		c.Unsatisfied += n
	}
}

// Rate is the satisfaction rate in percent, one decimal (0 without ratings).
func (c RatingCounts) Rate() float64 {
	if c.Valid == 0 {
		return 0
	}
	r := (float64(c.Satisfied) + BasicSatisfiedWeight*float64(c.BasicSatisfied)) / float64(c.Valid) * 100
	return math.Round(r*10) / 10
}

// RatingStats are the satisfaction figures of a period.
type RatingStats struct {
	All   RatingCounts `json:"all"`
	First RatingCounts `json:"first"`
	Final RatingCounts `json:"final"`
}

// DayCount is one Beijing date's intake: how many were received, and how
// many of those are closed by now.
type DayCount struct {
	Date     string `json:"date"`
	Received int    `json:"received"`
	Closed   int    `json:"closed"`
}

// AppealText is an appeal's code and content, for text comparisons.
type AppealText struct {
	ID      int64
	Code    string
	Content string
}

// AppealTx is the part of a write transaction that reads and writes appeals (诉求) and their ratings.
type AppealTx interface {
	// Appeal reads an appeal inside the transaction. Returns ENOTFOUND.
	Appeal(id int64) (*Appeal, error)
	// AppealByCode finds an appeal by its tracking code, without locking
	// it. Returns ENOTFOUND.
	AppealByCode(code string) (*Appeal, error)
	// AppealByIdempotencyKey finds an appeal by its idempotency key. Returns ENOTFOUND.
	AppealByIdempotencyKey(key string) (*Appeal, error)
	// NextSeq increments and returns the named counter (first value 1).
	NextSeq(name string) (int64, error)
	// CreateAppeal inserts a and its attachments and assignments, and sets a.ID.
	// Returns ECONFLICT if the code or idempotency key is taken.
	CreateAppeal(a *Appeal) error
	// UpdateAppeal writes a if the stored version is still version (compare
	// and set), then sets a.Version to version+1. Assignments are replaced.
	// Returns ECONFLICT if the appeal changed meanwhile.
	UpdateAppeal(a *Appeal, version int) error
	// AppealsByID reads several appeals with their assignments (not their
	// attachments) inside the transaction.
	AppealsByID(ids []int64) (map[int64]*Appeal, error)
	// MergedInto reads the appeals merged into target (并入), oldest first,
	// with their assignments.
	MergedInto(target int64) ([]*Appeal, error)
	// RecordRating keeps a rating as data, in the transaction of its event.
	RecordRating(r *RatingRecord) error
	// Children reads the parts of a split appeal (拆分子单), in code
	// order, with their assignments.
	Children(parent int64) ([]*Appeal, error)
}
