// Explicit-rating folds on a Dataset's indexes: the rows of fold files (u1.base/u1.test ..,
// data/importers/movielens_folds.h) mapped to user and item indexes, and the training
// histories a rating model fits on, built back from rating triples.
// Thread-safety: pure functions.
#ifndef TAILOR_DATASET_RATING_FOLDS_H_
#define TAILOR_DATASET_RATING_FOLDS_H_

#include <string>
#include <vector>

#include "data/importers/movielens_folds.h"
#include "dataset/dataset.h"
#include "dataset/splits.h"
#include "tailor/status.h"

namespace tailor {

// The rows of the file `path` as triples of `dataset`'s indexes, in file order.
// Errors: kInvalidArgument "path:line: unknown user 'X'" (or item) for an id the dataset lacks.
StatusOr<std::vector<RatingTriple>> MapRatingRows(const std::vector<RatingRow>& rows,
                                                  const std::string& path, const Dataset& dataset);

// Reads and maps every train/test pair (ReadRatingFile + MapRatingRows).
// Errors: those of ReadRatingFile and MapRatingRows.
StatusOr<std::vector<RatingFold>> LoadRatingFolds(const std::vector<RatingFoldPaths>& paths,
                                                  const Dataset& dataset);

// Histories holding one "rating" event (the dataset's rating type and its weight, value =
// stars) per triple, each user's in timestamp order (ties keep the input order), for
// dataset.num_users() users and dataset.num_items() items.
// Errors: kFailedPrecondition when the dataset has no "rating" event type; kInvalidArgument
// for a triple whose user or item is out of range (names its position).
StatusOr<UserHistories> RatingHistories(const std::vector<RatingTriple>& ratings,
                                        const Dataset& dataset);

}  // namespace tailor

#endif  // TAILOR_DATASET_RATING_FOLDS_H_
