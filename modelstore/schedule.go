package modelstore

import (
	"context"
	"io"
	"log/slog"
	"time"

	"huying/classify"
	"huying/internal/startstop"
)

// Schedule is serve's scheduled retrain (the unattended side of `huying
// classify retrain`): every interval, with the base corpus read afresh, it
// retrains, swaps a promoted model into Live and logs the decision with
// both models' figures.
type Schedule struct {
	Every time.Duration
	// Base is the base corpus CSV, and TextColumn and LabelColumn its
	// columns (see ReadBase).
	Base, TextColumn, LabelColumn string
	DataDir                       string
	History                       History
	// Live is the model serve classifies with; nil makes Start a no-op.
	Live   *Live
	Logger *slog.Logger

	loop startstop.Loop
}

// ReadBase reads the base corpus, as each retrain does; serve calls it at
// start to refuse a corpus it cannot read.
func (s *Schedule) ReadBase() (classify.Dataset, error) {
	return ReadBase(s.Base, s.TextColumn, s.LabelColumn)
}

// Start retrains the classifier every interval in the background until
// Stop, and swaps in a promoted model.
func (s *Schedule) Start(ctx context.Context) error {
	if s.Live == nil {
		return nil
	}
	return s.loop.Start(ctx, s.Every, false, s.once)
}

// Stop stops the schedule and waits for a running retrain.
func (s *Schedule) Stop() { s.loop.Stop() }

func (s *Schedule) once(ctx context.Context) {
	base, err := s.ReadBase()
	if err != nil {
		s.Logger.Warn("retrain", slog.String("component", "classify"), slog.String("decision", "未训练：无法读取基础训练集"), slog.Any("error", err))
		return
	}
	rec, m, err := Retrain(ctx, s.DataDir, s.History, &base, io.Discard)
	if err != nil {
		s.Logger.Warn("retrain", slog.String("component", "classify"), slog.Any("error", err))
		return
	}
	if m != nil {
		s.Live.Swap(m)
	}
	s.Logger.Info("retrain", slog.String("component", "classify"), slog.Bool("promoted", rec.Promoted),
		slog.Float64("current_macro_f1", rec.Current.MacroF1), slog.Float64("candidate_macro_f1", rec.Candidate.MacroF1),
		slog.Any("recall_change", rec.RecallChange), slog.String("decision", rec.Summary))
}
