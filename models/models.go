// Package models embeds the classifier model shipped with Huying, so that
// the demo classifies appeals out of the box. Its provenance (data,
// command, figures) is in README.md next to it; installations retrain their
// own from history with `huying classify retrain`.
package models

import _ "embed"

// Teddy2020 is the model trained on ../shared/data/teddy2020/train.csv
// (7 first-level categories of real citizen messages).
//
//go:embed teddy2020.model
var Teddy2020 []byte
