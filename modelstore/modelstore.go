// Package modelstore is the life of an installation's classifier model
// after the one shipped in package models: which model is current (a
// retrained one under the data directory, or the shipped one), the frozen
// held-back set every model is compared on, retraining from the
// workflow's history with its promotion rules and its record in
// history.jsonl, the live model serve classifies with, and serve's
// retrain schedule.
//
// It is a package of its own rather than part of models because models is
// data only — the embedded model file and held-back set, importing
// nothing but embed — while the lifecycle reads and writes files, reads
// the clock and needs classify and workflow; so the shipped data stays
// importable by anything, and cmd/huying only parses flags and wires.
package modelstore

import (
	"bytes"
	"os"
	"path/filepath"
	"sync/atomic"

	"huying/classify"
	"huying/models"
)

// Dir is where an installation keeps its retrained models and
// history.jsonl, under the data directory.
const Dir = "models"

// shippedName names the shipped model in messages and records.
const shippedName = "models/teddy2020.model（随程序发布）"

// Current loads the installation's current model
// (<data>/models/current.model), or the shipped one when there is none,
// and says which it loaded.
func Current(dataDir string) (m *classify.Model, from string, err error) {
	path := filepath.Join(dataDir, Dir, "current.model")
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		m, err := classify.Load(f)
		return m, path, err
	}
	m, err = classify.Load(bytes.NewReader(models.Teddy2020))
	return m, shippedName, err
}

// Save writes a model file atomically (a synced temporary file renamed
// over path), so that a crash never leaves a torn current.model.
func Save(m *classify.Model, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Live is the classifier serve uses (a workflow.Classifier); a scheduled
// retrain swaps in the model it promotes while intake goes on.
type Live struct {
	p atomic.Pointer[classify.Model]
}

// NewLive returns a Live classifying with m.
func NewLive(m *classify.Model) *Live {
	l := &Live{}
	l.p.Store(m)
	return l
}

// Predict classifies with the current model.
func (l *Live) Predict(text string) classify.Prediction { return l.p.Load().Predict(text) }

// Model returns the current model.
func (l *Live) Model() *classify.Model { return l.p.Load() }

// Swap makes m the current model for the predictions that follow.
func (l *Live) Swap(m *classify.Model) { l.p.Store(m) }
