// Train/test splits. Every split gives the models a training UserHistories and, per user,
// the held-out target items; a user with no targets is not evaluated. The query history for
// a user at evaluation time is that user's training history (what the model was fit on).
#ifndef TAILOR_DATASET_SPLITS_H_
#define TAILOR_DATASET_SPLITS_H_

#include <cstdint>
#include <vector>

#include "dataset/histories.h"

namespace tailor {

struct Split {
  UserHistories train;
  std::vector<std::vector<int32_t>> targets;  // [user_idx] -> held-out items
};

// Leave-one-out (Kang & McAuley 2018, the S3-Rec protocol): per user, the last interaction
// is the test target and the second-to-last the validation target.
//   valid: train = all but the last two, targets = {second-to-last}
//   test:  train = all but the last,     targets = {last}
// Users with fewer than 3 interactions are trained on but not evaluated.
struct LeaveOneOutSplit {
  Split valid;
  Split test;
};
LeaveOneOutSplit SplitLeaveOneOut(const UserHistories& histories);

// Global temporal split: interactions with timestamp < the `train_fraction` quantile of all
// timestamps train; later ones become that user's targets (distinct items, in order).
Split SplitTemporal(const UserHistories& histories, double train_fraction);

// Per-user random ratio split: each user's interactions are shuffled (seeded) and
// `train_fraction` of them (at least one) train; the rest are targets.
Split SplitRandomRatio(const UserHistories& histories, double train_fraction, uint64_t seed);

// Explicit ratings.
struct RatingTriple {
  int32_t user = 0;
  int32_t item = 0;
  float rating = 0.0f;
  int64_t timestamp = 0;  // unix seconds; 0 when unknown
};
struct RatingFold {
  std::vector<RatingTriple> train;
  std::vector<RatingTriple> test;
};
// Rating triples from interactions whose event type is `rating_type` (value = stars).
std::vector<RatingTriple> RatingTriples(const UserHistories& histories, int16_t rating_type);
// k folds of a seeded shuffle; fold f tests on the f-th slice and trains on the rest.
std::vector<RatingFold> KFoldRatings(const std::vector<RatingTriple>& ratings, int k,
                                     uint64_t seed);

}  // namespace tailor

#endif  // TAILOR_DATASET_SPLITS_H_
