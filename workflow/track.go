package workflow

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"huying"
)

// Step is one entry of the resident-safe timeline ("像网购一样透明").
type Step struct {
	At    time.Time `json:"at"`
	Title string    `json:"title"`
	Unit  string    `json:"unit,omitempty"`
	Text  string    `json:"text,omitempty"`
}

// Tracking is what a resident sees of an appeal: no contact, no internal notes.
type Tracking struct {
	Code       string            `json:"code"`
	Type       huying.AppealType `json:"type"`
	Title      string            `json:"title"`
	Status     huying.Status     `json:"status"`
	StatusName string            `json:"status_name"`
	ReceivedAt time.Time         `json:"received_at"`
	DueAt      *time.Time        `json:"due_at,omitempty"`
	Steps      []Step            `json:"steps"`
	// MergedInto is the code of the appeal this one was merged into, whose
	// handling the steps go on with.
	MergedInto string `json:"merged_into,omitempty"`
	// Parts are, for a split appeal (拆分), its parts with their progress;
	// PartOf is, for a part, the code of the appeal it was split from.
	Parts  []Part `json:"parts,omitempty"`
	PartOf string `json:"part_of,omitempty"`
	// CanRate says the appeal is waiting for the resident's rating.
	CanRate bool `json:"can_rate"`
	// RateProof, given with CanRate by the public lookup, is what
	// POST /track/rate must send back (valid TrackProofTTL).
	RateProof string `json:"rate_proof,omitempty"`
}

// residentTitles names the events a resident sees; other kinds (internal
// notes, contact reads, returns and their arbitration) are left out.
var residentTitles = map[string]string{
	string(huying.CmdReceive): "诉求已受理", string(huying.CmdAnswer): "已直接答复",
	string(huying.CmdRefuse): "不予受理/已转办", string(huying.CmdMerge): "已与相同诉求合并办理",
	string(huying.CmdDispatch): "已派单至承办单位", string(huying.CmdArbitrate): "已重新派单",
	string(huying.CmdSign): "承办单位已签收", string(huying.CmdContact): "承办单位已与您联系",
	string(huying.CmdDecideExtension): "办理期限调整", string(huying.CmdDecideTermination): "终止办理审核",
	string(huying.CmdReply): "承办单位已办结答复", string(huying.CmdReview): "分拨中心已审核",
	string(huying.CmdRate): "您已评价", string(huying.CmdArchive): "已归档", EventMergedRating: "您已评价",
	string(huying.CmdSplit): "诉求含多项事项，已拆分分别办理", EventSplitReviewed: "各项均已办结，请您评价",
	string(huying.CmdPassDown): "已转交社区办理",
}

// Track returns the resident view of an appeal given its tracking code and
// the last four digits of the contact phone. Both a wrong code and wrong
// digits give the same ENOTFOUND, so codes cannot be probed; a code that
// took TrackWrongPerCode wrong digits this hour is refused (ETOOMANY)
// whoever asks. An appeal waiting for its rating comes with a proof
// (RateProof) that RateByResident requires.
func (s *Service) Track(ctx context.Context, code, phoneLast4 string) (*Tracking, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || phoneLast4 == "" {
		return nil, huying.Errorf(huying.EINVALID, "请输入诉求编号和联系电话后四位")
	}
	notFound := huying.Errorf(huying.ENOTFOUND, "未找到该诉求，请核对诉求编号和手机号后四位")
	if s.tries().trackWrong.Count(code) >= TrackWrongPerCode {
		return nil, huying.Errorf(huying.ETOOMANY, "该诉求编号的查询错误次数过多，请一小时后再试")
	}
	a, err := s.Store.AppealByCode(ctx, code)
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return nil, err
	}
	if err != nil || len(phoneLast4) != 4 || !strings.HasSuffix(a.ContactPhone, phoneLast4) {
		s.tries().trackWrong.Allow(code, TrackWrongPerCode)
		return nil, notFound
	}
	t, err := s.tracking(ctx, a)
	if err != nil || !t.CanRate {
		return t, err
	}
	proof := huying.NewToken("hyp_")
	now := s.now()
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		return tx.CreateTrackProof(huying.HashToken(proof), a.ID, now.Add(TrackProofTTL), now)
	})
	if err != nil {
		return nil, err
	}
	t.RateProof = proof
	return t, nil
}

// unitNames maps unit ids to names for display; a failed read leaves ids
// without names rather than failing the page.
func (s *Service) unitNames(ctx context.Context) map[string]string {
	names := map[string]string{}
	if units, err := s.Store.Units(ctx); err == nil {
		for _, u := range units {
			names[u.ID] = u.Name
		}
	}
	return names
}

// tracking builds the resident-safe timeline of a. An appeal merged into
// another (并入) goes on with that appeal's handling after the merge, and
// its resident may rate the outcome once it is reviewed.
func (s *Service) tracking(ctx context.Context, a *huying.Appeal) (*Tracking, error) {
	events, err := s.Store.AppealEvents(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	names := s.unitNames(ctx)
	t := &Tracking{Code: a.Code, Type: a.Type, Title: a.Title, Status: a.Status, StatusName: a.Status.Name(),
		ReceivedAt: a.ReceivedAt, DueAt: a.DueAt, Steps: residentSteps(events, names, 0), CanRate: a.Status == huying.StatusReviewed}
	if a.ParentID != 0 {
		p, err := s.Store.Appeal(ctx, a.ParentID)
		if err != nil {
			return nil, err
		}
		t.PartOf = p.Code
		t.CanRate = t.CanRate && !s.callbackAtEnd()
	}
	if len(t.Steps) > 0 && slices.ContainsFunc(events, func(e *huying.Event) bool { return e.Kind == string(huying.CmdSplit) }) {
		if t.Parts, err = s.parts(ctx, a.ID); err != nil {
			return nil, err
		}
		for i := range t.Parts {
			t.Parts[i].ID = 0 // the resident knows parts by their codes
		}
	}
	if a.Status != huying.StatusMerged || a.MergedInto == 0 {
		return t, nil
	}
	target, err := s.Store.Appeal(ctx, a.MergedInto)
	if err != nil {
		return nil, err
	}
	later, err := s.Store.AppealEvents(ctx, target.ID)
	if err != nil {
		return nil, err
	}
	var merged int64 // the merge's event: the target's later events follow it
	for _, e := range events {
		if e.Kind == string(huying.CmdMerge) {
			merged = e.ID
		}
	}
	for _, st := range residentSteps(later, names, merged) {
		if st.Title != residentTitles[string(huying.CmdRate)] { // the other resident's rating is theirs
			t.Steps = append(t.Steps, st)
		}
	}
	t.MergedInto, t.DueAt = target.Code, target.DueAt
	t.StatusName = "已合并办理（" + target.Status.Name() + "）"
	t.CanRate = a.Rating == nil && (target.Status == huying.StatusReviewed || target.Status == huying.StatusRated)
	return t, nil
}

// residentSteps turns the events after the event afterID into
// resident-safe steps.
func residentSteps(events []*huying.Event, names map[string]string, afterID int64) []Step {
	steps := []Step{}
	for _, e := range events {
		title, ok := residentTitles[e.Kind]
		if !ok || e.Kind == string(huying.CmdReview) && e.ToStatus != huying.StatusReviewed || e.ID <= afterID {
			continue
		}
		st := Step{At: e.At, Title: title}
		var data map[string]any
		_ = json.Unmarshal([]byte(e.Data), &data)
		if name, ok := data["lead_name"].(string); ok {
			st.Unit = name
		} else if e.Kind == string(huying.CmdSign) || e.Kind == string(huying.CmdContact) || e.Kind == string(huying.CmdReply) {
			st.Unit = names[e.UnitID] // the unit that acted ("" for the system's auto-sign)
		}
		switch e.Kind {
		case string(huying.CmdAnswer), string(huying.CmdRefuse), string(huying.CmdReply):
			st.Text = e.Note // answers and replies are addressed to the resident
		case string(huying.CmdRate), EventMergedRating:
			if e.ToStatus == huying.StatusDispatched {
				st.Title, st.Text = "您不满意，已重新交办", e.Note
			}
		}
		steps = append(steps, st)
	}
	return steps
}

// RateByResident records the resident's own rating of an appeal, given
// the proof a successful Track handed out (so that a guesser of codes and
// digits cannot rate), as the public resident actor. Returns EINVALID for
// a missing, expired or foreign proof.
func (s *Service) RateByResident(ctx context.Context, code, proof string, r huying.Rating) (*Tracking, error) {
	bad := huying.FieldErrorf("proof", "评价凭证无效或已过期，请重新查询诉求后再评价")
	if proof == "" {
		return nil, huying.FieldErrorf("proof", "请先用诉求编号和手机号后四位查询，再进行评价")
	}
	a, err := s.Store.AppealByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, huying.OrIfNotFound(err, bad)
	}
	now := s.now()
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		id, err := tx.TrackProof(huying.HashToken(proof), now)
		if err == nil && id != a.ID {
			return bad
		}
		return huying.OrIfNotFound(err, bad)
	})
	if err != nil {
		return nil, err
	}
	return s.rateAsResident(ctx, a, r)
}

// RateForChannel records a rating an app passes on for its resident
// (Open311's service request update): the app's token must have filed the
// appeal, and phone must be the one it was filed with. Returns ENOTFOUND
// or EFORBIDDEN.
func (s *Service) RateForChannel(ctx context.Context, actor huying.Actor, code, phone string, r huying.Rating) (*Tracking, error) {
	a, err := s.Store.AppealByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, err
	}
	if !actor.IsChannel() || a.CreatedBy != actor.User.ID {
		return nil, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	if phone != a.ContactPhone {
		return nil, huying.Errorf(huying.EFORBIDDEN, "手机号与提交诉求时的联系电话不一致")
	}
	return s.rateAsResident(ctx, a, r)
}

func (s *Service) rateAsResident(ctx context.Context, a *huying.Appeal, r huying.Rating) (*Tracking, error) {
	resident := huying.Actor{User: &huying.User{Kind: huying.UserResident, Username: "resident", Roles: []huying.Role{huying.RoleResident}},
		Channel: "public", AppealID: a.ID}
	rate := func() error {
		_, err := s.Act(ctx, resident, a.ID, huying.CmdRate, Action{Rating: &r})
		return err
	}
	if a.Status == huying.StatusMerged {
		rate = func() error { return s.rateMerged(ctx, resident, a.ID, r) }
	}
	if err := rate(); err != nil {
		return nil, err
	}
	a, err := s.Store.Appeal(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return s.tracking(ctx, a)
}

// EventMergedRating is the event of a rating given by the resident of an
// appeal merged into another, on the merged appeal (whose row records the
// rating); EventMergedUnsatisfied notes a 不满意 on the appeal that was
// handled, whose row it leaves alone.
const (
	EventMergedRating      = "merged_rating"
	EventMergedUnsatisfied = "merged_unsatisfied"
)

// rateMerged records the rating of the resident of merged appeal id on the
// outcome of the appeal it was merged into, once that one is reviewed. It
// changes neither status: the handled appeal's own resident decides a redo.
func (s *Service) rateMerged(ctx context.Context, actor huying.Actor, id int64, r huying.Rating) error {
	if err := validateRate(&Action{Rating: &r}); err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := tx.Appeal(id)
		if err != nil {
			return err
		}
		if a.Status != huying.StatusMerged || a.MergedInto == 0 {
			return huying.Errorf(huying.ECONFLICT, "诉求当前状态为「%s」，不能按合并办理评价", a.Status.Name())
		}
		if a.Rating != nil {
			return huying.Errorf(huying.ECONFLICT, "您已评价过该诉求")
		}
		target, err := tx.Appeal(a.MergedInto)
		if err != nil {
			return err
		}
		if target.Status != huying.StatusReviewed && target.Status != huying.StatusRated {
			return huying.Errorf(huying.ECONFLICT, "合并办理的诉求 %s 尚未办结审核，暂不能评价", target.Code)
		}
		version := a.Version
		a.Rating, a.UpdatedAt = &r, now
		if err := tx.UpdateAppeal(a, version); err != nil {
			return err
		}
		if err := tx.RecordRating(&huying.RatingRecord{AppealID: a.ID, Seq: 1, UnitID: target.LeadUnit(), Rating: r, At: now}); err != nil {
			return err
		}
		data := map[string]any{"rating": r, "target": target.Code}
		if err := s.AppendOnly(tx, actor, a, EventMergedRating, r.Comment, data, now); err != nil {
			return err
		}
		if r.Satisfaction != huying.Unsatisfied {
			return nil
		}
		return s.AppendOnly(tx, actor, target, EventMergedUnsatisfied, "并入本单的诉求 "+a.Code+" 的诉求人不满意："+r.Comment,
			map[string]any{"rating": r, "source": a.Code}, now)
	})
}
