// The fixed cross-validation folds that ship with MovieLens 100K: u1.base/u1.test ..
// u5.base/u5.test, 80%/20% splits of u.data with disjoint test sets (GroupLens' README), the
// protocol behind the published ml-100k RMSE numbers. Each file is u.data's format,
// "user<TAB>item<TAB>rating<TAB>unix time". Unlike the importer (which rejects bad rows and
// goes on) a fold file is read strictly: one bad line fails it, naming file:line, because a
// benchmark on a partly read fold would not be the protocol.
// Thread-safety: pure functions over the file system.
#ifndef TAILOR_DATA_IMPORTERS_MOVIELENS_FOLDS_H_
#define TAILOR_DATA_IMPORTERS_MOVIELENS_FOLDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tailor/status.h"

namespace tailor {

// One line of a ratings file, ids as written.
struct RatingRow {
  std::string user_id;
  std::string item_id;
  float rating = 0.0f;    // finite and > 0
  int64_t timestamp = 0;  // unix seconds
  int64_t line = 0;       // 1-based line in the file
};

// Reads every row of a u.data-style file (plain or .xz); blank lines are skipped.
// Errors: kNotFound naming a missing file; kInvalidArgument "path:line: ..." for a line
// without 4 tab-separated fields, an empty id, a rating that is not a number > 0 or a
// timestamp that is not an integer; kDataLoss for a corrupt or cut-short file.
StatusOr<std::vector<RatingRow>> ReadRatingFile(const std::string& path);

struct RatingFoldPaths {
  std::string train;  // .../u1.base
  std::string test;   // .../u1.test
};

// The u1..u5 base/test pairs of the MovieLens folder `path` (the ml-100k folder itself or a
// dataset folder holding it, as the importer accepts). Errors: kNotFound when there is no
// MovieLens folder or it lacks any of the ten files (the message names the first missing).
StatusOr<std::vector<RatingFoldPaths>> FindMovieLensFolds(const std::string& path);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_MOVIELENS_FOLDS_H_
