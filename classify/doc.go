// Package classify sorts short Chinese texts — citizen appeals to a 12345
// hotline — into categories, and says why.
//
// The pipeline is deliberately plain so that it can be trained in seconds,
// inspected, and shipped as a small file:
//
//   - Normalize folds compatibility forms (NFKC), full-width letters and
//     digits, Latin case, common traditional characters and punctuation so
//     that raw text and the jieba-tokenised text of the training data look
//     alike.
//   - Character n-grams (1–3 by default) are taken from the text with all
//     whitespace removed, so "物业 管理" and "物业管理" give the same
//     features; when the text carries spaces (pre-segmented text) the
//     tokens can be added as word features. Features are hashed into a
//     fixed table of 2^Bits buckets and weighted by sublinear TF-IDF with
//     L2 normalisation.
//   - A linear model (one-vs-rest L2-loss SVM by dual coordinate descent,
//     or multinomial logistic regression by AdaGrad) is trained in Go,
//     deterministically for a given seed; a temperature fitted on
//     out-of-fold scores turns its scores into calibrated probabilities.
//   - Explain reports the n-grams whose weights pushed the decision.
//
// The package does no I/O of its own beyond Save and Load on the readers and
// writers it is given, and never reads the clock.
package classify
