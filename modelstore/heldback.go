package modelstore

import (
	"bytes"
	"fmt"
	"strings"

	"huying/classify"
	"huying/models"
)

// HeldBackName names the evaluation set in messages.
const HeldBackName = "随程序发布的冻结留出集 models/heldback"

// HeldBack is the shipped model's held-back set (models/heldback): 497
// labelled teddy2020 texts that no shipped or retrained model is trained
// on, so that every model is compared on the same texts, whatever the
// history. Its row ids, near-duplicate groups and texts say which rows of
// a base corpus to leave out.
type HeldBack struct {
	texts, labels []string
	ids, groups   map[string]bool
	keys          map[string]bool // textKey of every text
}

// LoadHeldBack reads the set from the binary: the segmented rows (分词文本)
// and the raw ones (留言主题 + 留言详情), as retrain and eval read texts.
func LoadHeldBack() (*HeldBack, error) {
	seg, err := classify.ParseDataset(bytes.NewReader(models.HeldBackSegmented), "models/heldback/train-sample.csv", "分词文本", "一级标签", "dup_group")
	if err != nil {
		return nil, err
	}
	raw, err := classify.ParseDataset(bytes.NewReader(models.HeldBackRaw), "models/heldback/raw-sample.csv", "留言主题+留言详情", "一级标签", "")
	if err != nil {
		return nil, err
	}
	h := &HeldBack{ids: map[string]bool{}, groups: map[string]bool{}, keys: map[string]bool{}}
	for _, ds := range []classify.Dataset{seg, raw} {
		h.texts = append(h.texts, ds.Texts...)
		h.labels = append(h.labels, ds.Labels...)
		for i, t := range ds.Texts {
			h.keys[textKey(t)] = true
			if i < len(ds.IDs) {
				h.ids[ds.IDs[i]] = true
			}
			if i < len(ds.Groups) && ds.Groups[i] != "" {
				h.groups[ds.Groups[i]] = true
			}
		}
	}
	return h, nil
}

// Len returns the number of texts in the set.
func (h *HeldBack) Len() int { return len(h.texts) }

// textKey is a text compared for equality: normalised, without spaces.
func textKey(t string) string { return strings.Join(strings.Fields(classify.Normalize(t)), "") }

// Exclude returns ds without the held-back rows: the same text and, when
// ds is teddy2020's (it holds some held-back text itself), the same row_id
// or the near-duplicate group of a held-back row (the raw rows' groups are
// looked up in ds by row_id). Another corpus's ids and groups mean other
// rows, so they are not matched. It also returns how many it dropped.
func (h *HeldBack) Exclude(ds classify.Dataset) (classify.Dataset, int) {
	keys := make([]string, len(ds.Texts))
	teddy := false
	for i, t := range ds.Texts {
		keys[i] = textKey(t)
		teddy = teddy || h.keys[keys[i]]
	}
	var ids, groups map[string]bool
	if teddy {
		ids, groups = h.ids, map[string]bool{}
		for g := range h.groups {
			groups[g] = true
		}
		if len(ds.Groups) == len(ds.Texts) && len(ds.IDs) == len(ds.Texts) {
			for i, id := range ds.IDs {
				if h.ids[id] && ds.Groups[i] != "" {
					groups[ds.Groups[i]] = true
				}
			}
		}
	}
	var out classify.Dataset
	for i, t := range ds.Texts {
		held := h.keys[keys[i]]
		if i < len(ds.IDs) {
			held = held || ids[ds.IDs[i]]
		}
		if i < len(ds.Groups) {
			held = held || groups[ds.Groups[i]]
		}
		if held {
			continue
		}
		out.Texts, out.Labels = append(out.Texts, t), append(out.Labels, ds.Labels[i])
		if i < len(ds.Groups) {
			out.Groups = append(out.Groups, ds.Groups[i])
		}
		if i < len(ds.IDs) {
			out.IDs = append(out.IDs, ds.IDs[i])
		}
	}
	return out, len(ds.Texts) - len(out.Texts)
}

// Score evaluates m on the held-back set.
func (h *HeldBack) Score(m *classify.Model) (classify.Metrics, error) {
	pred := make([]string, len(h.texts))
	for i, t := range h.texts {
		pred[i] = m.Predict(t).Label
	}
	met, err := classify.Evaluate(h.labels, pred)
	if err != nil {
		return classify.Metrics{}, fmt.Errorf("留出集评估：%w", err)
	}
	return met, nil
}
