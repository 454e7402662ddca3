// Package classify sorts short Chinese texts — citizen appeals to a 12345
// hotline — into categories, with calibrated probabilities and the n-grams
// that decided.
//
// The pipeline is deliberately plain, so that a model trains in seconds on
// one core, can be inspected, and ships as a file of a few megabytes:
//
//   - Normalize folds compatibility forms (NFKC, which also takes full-width
//     letters and digits to half width), Latin case and common traditional
//     characters, so that raw text and the jieba-tokenised text of the
//     training data look alike. Features ignore whitespace, punctuation and
//     symbols.
//   - Character n-grams (1–3) are taken from the text with whitespace
//     removed, so "物业 管理" and "物业管理" give the same features; the
//     n-grams of the first runes (the title of an appeal) are counted again
//     as features of their own; when the text is segmented (see Words) its
//     tokens are added as word features. Features are hashed into 2^Bits
//     buckets and weighted by sublinear TF-IDF with L2 normalisation.
//   - A linear model is trained in Go, deterministically for a seed: by
//     default a one-vs-rest L2-loss SVM by dual coordinate descent on
//     features scaled by naive Bayes log-count ratios (NBSVM), with
//     balanced class costs. Out-of-fold scores from grouped folds fit a
//     softmax temperature (calibration) and per-class bias shifts that
//     maximise macro-F1. A character-bigram naive Bayes is built in as a
//     baseline.
//   - Predict returns the label, its probability, the top three classes and
//     the features that pushed the decision (Explain).
//   - Save and Load use a versioned binary format with 8-bit weights and a
//     checksum; loading takes a few milliseconds.
//
// Evaluate, GroupKFold and ExpectedCalibrationError support grouped
// cross-validation; on them a Scorer builds the Report that `huying
// classify eval` and `cv` print (CrossValidate on the folds of SplitFolds),
// and ParseDataset and ReadDataset read the labelled CSV files models are
// trained and scored on. The package never reads the clock (a Scorer times
// with the clock it is given) and does no I/O beyond Save and Load on the
// readers and writers it is given and ReadDataset, which opens the one
// file it is named.
package classify
