// Labelled review texts for the sentiment benchmark, and their cross-validation folds.
//
// Two layouts are read (a folder holding them, or one file):
//   *_labelled.txt   UCI Sentiment Labelled Sentences: "sentence<TAB>0|1" per line, 0 =
//                    negative, 1 = positive; the group of a sentence is the file's prefix
//                    ("amazon_cells", "imdb", "yelp"). Lines are split on '\n' only (the IMDb
//                    file holds U+0085 inside sentences); blank lines are skipped.
//   *.jsonl          Amazon review objects, one per line: "overall" (1-5 stars) and the texts
//                    "summary" and "reviewText" (either may be missing). Labels from the
//                    stars: 1-2 negative, 3 neutral, 4-5 positive; text = "summary. reviewText".
//                    A text is kept once (its first review): the 5-core files repeat the
//                    same review for many style variants and products (Fashion: 3,176
//                    reviews, 443 distinct texts), and a repeated text in two folds would
//                    be a test item seen in training. Reviews without text are skipped.
//                    Group = "".
// Errors name the file and line: a line without a TAB or with a label other than 0/1, a line
// that is not a JSON object, stars missing or outside 1..5.
#ifndef TAILOR_EVAL_SENTIMENT_DATA_H_
#define TAILOR_EVAL_SENTIMENT_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tailor/status.h"

namespace tailor {

struct SentimentDataset {
  std::string layout;               // "sentences" or "star-reviews"
  std::vector<std::string> labels;  // class names, index = label
  std::vector<std::string> texts;
  std::vector<int32_t> label_of;    // per text
  std::vector<std::string> group_of;  // per text ("" for star reviews)
  int64_t duplicates_dropped = 0;
  int64_t empty_dropped = 0;
};

// Errors: kNotFound for a missing path or a folder with neither layout, kInvalidArgument
// naming file:line for a bad line (above).
StatusOr<SentimentDataset> LoadSentimentDataset(const std::string& path);

// A fold in [0, folds) per label, stratified: each class's examples are shuffled (seeded) and
// dealt round-robin, continuing the deal across classes, so fold sizes differ by at most one
// and every fold holds each class in proportion.
std::vector<int32_t> StratifiedFolds(const std::vector<int32_t>& labels, int32_t folds, uint64_t seed);

}  // namespace tailor

#endif  // TAILOR_EVAL_SENTIMENT_DATA_H_
