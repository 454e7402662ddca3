// Package models embeds the classifier model shipped with Huying, so that
// the demo classifies appeals out of the box, and the set of labelled texts
// held back from its training, on which every retrained model is compared
// with the current one. Their provenance (data, command, figures) is in
// README.md and heldback/README.md; installations retrain their own from
// history with `huying classify retrain` (package modelstore, which keeps
// this package data only).
package models

import _ "embed"

// Teddy2020 is the model trained on ../shared/data/teddy2020/train.csv
// (7 first-level categories of real citizen messages) without the rows of
// the held-back set and their near-duplicate groups.
//
//go:embed teddy2020.model
var Teddy2020 []byte

// HeldBackSegmented is the held-back set's segmented part: 392 rows of
// train.csv, columns row_id, 一级标签, 分词文本, dup_group, has_raw.
//
//go:embed heldback/train-sample.csv
var HeldBackSegmented []byte

// HeldBackRaw is the held-back set's raw part: 105 rows of
// train_raw_subset.csv, columns row_id, 留言主题, 留言详情, 一级标签.
//
//go:embed heldback/raw-sample.csv
var HeldBackRaw []byte
