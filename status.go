package huying

import "slices"

// Status is the state of an appeal in its lifecycle (闭环).
type Status string

// Statuses. StatusNone is the state before intake.
const (
	StatusNone                 Status = ""
	StatusReceived             Status = "received"              // 已受理
	StatusAnswered             Status = "answered"              // 已直接答复
	StatusRefused              Status = "refused"               // 不予受理 / 已转办
	StatusMerged               Status = "merged"                // 已并单
	StatusDispatched           Status = "dispatched"            // 已派单待签收
	StatusSigned               Status = "signed"                // 已签收
	StatusHandling             Status = "handling"              // 办理中
	StatusReturned             Status = "returned"              // 退单待审核
	StatusExtensionRequested   Status = "extension_requested"   // 延期待审批
	StatusTerminationRequested Status = "termination_requested" // 终止待审批
	StatusTerminated           Status = "terminated"            // 已终止办理
	StatusReplied              Status = "replied"               // 已办结待审核
	StatusReviewed             Status = "reviewed"              // 已审核待回访
	StatusRated                Status = "rated"                 // 已评价
	StatusUnreachable          Status = "unreachable"           // 无法联系: every callback attempt went unanswered
	StatusArchived             Status = "archived"              // 已归档
	// StatusSplit is a parent appeal split into parts (拆分), waiting on
	// its child appeals; it archives itself when the last child closes.
	StatusSplit Status = "split" // 已拆分
)

// StatusNames are the Chinese names of the statuses.
var StatusNames = map[Status]string{
	StatusReceived: "已受理", StatusAnswered: "已直接答复", StatusRefused: "不予受理/已转办",
	StatusMerged: "已并单", StatusDispatched: "待签收", StatusSigned: "已签收", StatusHandling: "办理中",
	StatusReturned: "退单待审核", StatusExtensionRequested: "延期待审批",
	StatusTerminationRequested: "终止待审批", StatusTerminated: "已终止办理", StatusReplied: "已办结待审核",
	StatusReviewed: "待回访评价", StatusRated: "已评价", StatusUnreachable: "无法联系", StatusArchived: "已归档",
	StatusSplit: "已拆分（子单办理中）",
}

// Name returns the Chinese name of s.
func (s Status) Name() string {
	if n, ok := StatusNames[s]; ok {
		return n
	}
	return string(s)
}

// Valid reports whether s is a known status (StatusNone excluded).
func (s Status) Valid() bool {
	_, ok := StatusNames[s]
	return ok
}

// Open reports whether the appeal still needs work (not closed or archived).
func (s Status) Open() bool {
	switch s {
	case StatusAnswered, StatusRefused, StatusMerged, StatusTerminated, StatusRated, StatusUnreachable, StatusArchived:
		return false
	}
	return true
}

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusReceived, StatusAnswered, StatusRefused, StatusMerged, StatusDispatched, StatusSigned, StatusHandling,
	StatusReturned, StatusExtensionRequested, StatusTerminationRequested, StatusTerminated, StatusReplied,
	StatusReviewed, StatusRated, StatusUnreachable, StatusArchived, StatusSplit,
}

// OpenStatuses are the statuses of appeals that still need work, and
// ClosedStatuses the others; both follow Status.Open, so that SQL built from
// them never drifts from it.
var OpenStatuses, ClosedStatuses = splitStatuses()

func splitStatuses() (open, closed []Status) {
	for _, s := range Statuses {
		if s.Open() {
			open = append(open, s)
		} else {
			closed = append(closed, s)
		}
	}
	return open, closed
}

// Command is a named step of the lifecycle. Each arrow of the lifecycle is one
// command with its own permission and validation.
type Command string

// Commands of the lifecycle.
const (
	CmdReceive            Command = "receive"             // 受理
	CmdAnswer             Command = "answer"              // 直接答复
	CmdRefuse             Command = "refuse"              // 转110/119/120/122, 告知法定途径, 不予受理
	CmdMerge              Command = "merge"               // 并单
	CmdDispatch           Command = "dispatch"            // 派单
	CmdSign               Command = "sign"                // 签收
	CmdReturn             Command = "return"              // 退单
	CmdArbitrate          Command = "arbitrate"           // 派单异议审核: 改派 or 指定
	CmdRecall             Command = "recall"              // 撤回: the centre takes an order back to dispatch it again (改派)
	CmdContact            Command = "contact"             // 首次联系诉求人
	CmdNote               Command = "note"                // 办理进展
	CmdRequestExtension   Command = "request_extension"   // 延期申请
	CmdDecideExtension    Command = "decide_extension"    // 延期审批
	CmdRequestTermination Command = "request_termination" // 终止申请
	CmdDecideTermination  Command = "decide_termination"  // 终止审批
	CmdReply              Command = "reply"               // 办结
	CmdReview             Command = "review"              // 审核
	CmdRate               Command = "rate"                // 回访评价 (不满意 → 重办)
	CmdArchive            Command = "archive"             // 归档
	CmdSplit              Command = "split"               // 拆分: the appeal becomes child appeals
	CmdPassDown           Command = "pass_down"           // 二级分拨: a street passes its order to one of its communities
	CmdAssign             Command = "assign"              // 指派处理人: a unit names the handler of its order
)

// Transition says from which statuses a command may run, which statuses it
// may lead to (empty: the status does not change) and which roles may run it.
type Transition struct {
	Name  string   `json:"name"` // Chinese name for messages
	From  []Status `json:"from"`
	To    []Status `json:"to"`
	Roles []Role   `json:"roles"`
}

// Transitions is the one table of the lifecycle. Unit-level checks (a handler
// acts only for its own unit) are made by the workflow on top of it.
var Transitions = map[Command]Transition{
	CmdReceive: {"受理", []Status{StatusNone}, []Status{StatusReceived},
		[]Role{RoleIntake, RoleReporter, RoleResident, RoleDispatcher}},
	CmdAnswer: {"直接答复", []Status{StatusReceived}, []Status{StatusAnswered},
		[]Role{RoleIntake, RoleDispatcher}},
	CmdRefuse: {"不予受理/转办", []Status{StatusReceived}, []Status{StatusRefused},
		[]Role{RoleIntake, RoleDispatcher}},
	CmdMerge: {"并单", []Status{StatusReceived}, []Status{StatusMerged},
		[]Role{RoleIntake, RoleDispatcher}},
	CmdDispatch: {"派单", []Status{StatusReceived}, []Status{StatusDispatched},
		[]Role{RoleDispatcher}},
	CmdSign: {"签收", []Status{StatusDispatched}, []Status{StatusSigned},
		[]Role{RoleHandler}},
	CmdReturn: {"退单", []Status{StatusDispatched, StatusSigned}, []Status{StatusReturned},
		[]Role{RoleHandler}},
	CmdRecall: {"撤回", []Status{StatusDispatched, StatusSigned, StatusHandling}, []Status{StatusReceived},
		[]Role{RoleDispatcher}},
	CmdArbitrate: {"退单审核", []Status{StatusReturned}, []Status{StatusDispatched},
		[]Role{RoleDispatcher}},
	CmdContact: {"联系诉求人", []Status{StatusSigned, StatusHandling}, []Status{StatusHandling},
		[]Role{RoleHandler}},
	CmdNote: {"办理进展", []Status{StatusSigned, StatusHandling, StatusExtensionRequested, StatusTerminationRequested}, nil,
		[]Role{RoleHandler}},
	CmdRequestExtension: {"延期申请", []Status{StatusSigned, StatusHandling}, []Status{StatusExtensionRequested},
		[]Role{RoleHandler}},
	CmdDecideExtension: {"延期审批", []Status{StatusExtensionRequested}, []Status{StatusHandling},
		[]Role{RoleDispatcher}},
	CmdRequestTermination: {"终止申请", []Status{StatusSigned, StatusHandling}, []Status{StatusTerminationRequested},
		[]Role{RoleHandler}},
	CmdDecideTermination: {"终止审批", []Status{StatusTerminationRequested}, []Status{StatusTerminated, StatusHandling},
		[]Role{RoleDispatcher}},
	CmdReply: {"办结", []Status{StatusSigned, StatusHandling}, []Status{StatusReplied},
		[]Role{RoleHandler}},
	CmdReview: {"审核", []Status{StatusReplied}, []Status{StatusReviewed, StatusHandling},
		[]Role{RoleDispatcher}},
	CmdRate: {"回访评价", []Status{StatusReviewed}, []Status{StatusRated, StatusDispatched, StatusSplit, StatusReviewed, StatusUnreachable},
		[]Role{RoleIntake, RoleDispatcher, RoleResident}},
	CmdArchive: {"归档", []Status{StatusAnswered, StatusRefused, StatusMerged, StatusTerminated, StatusRated, StatusSplit, StatusUnreachable}, []Status{StatusArchived},
		[]Role{RoleDispatcher}},
	CmdSplit: {"拆分", []Status{StatusReceived}, []Status{StatusSplit},
		[]Role{RoleDispatcher}},
	CmdPassDown: {"转派社区", []Status{StatusDispatched, StatusSigned, StatusHandling}, []Status{StatusDispatched},
		[]Role{RoleHandler}},
	CmdAssign: {"指派处理人", []Status{StatusDispatched, StatusSigned, StatusHandling, StatusExtensionRequested, StatusTerminationRequested}, nil,
		[]Role{RoleHandler}},
}

// CheckTransition returns nil if cmd may move an appeal from from to to (to
// may be "" for commands that keep the status), and an ECONFLICT error
// explaining why not otherwise.
func CheckTransition(cmd Command, from, to Status) error {
	if err := CheckFrom(cmd, from); err != nil {
		return err
	}
	t := Transitions[cmd]
	if len(t.To) == 0 && to == from {
		return nil
	}
	if !slices.Contains(t.To, to) {
		return Errorf(ECONFLICT, "「%s」不能使诉求从「%s」变为「%s」", t.Name, from.Name(), to.Name())
	}
	return nil
}

// CheckFrom returns nil if cmd may run on an appeal in status from, and an
// ECONFLICT error naming both otherwise.
func CheckFrom(cmd Command, from Status) error {
	t, ok := Transitions[cmd]
	if !ok {
		return Errorf(EINVALID, "未知的操作 %q", cmd)
	}
	if !slices.Contains(t.From, from) {
		return Errorf(ECONFLICT, "诉求当前状态为「%s」，不能执行「%s」", from.Name(), t.Name)
	}
	return nil
}

// CanRun reports whether a user with roles may run cmd at all (before any
// unit-level check).
func CanRun(cmd Command, u *User) bool {
	t, ok := Transitions[cmd]
	return ok && slices.ContainsFunc(t.Roles, u.Has)
}
