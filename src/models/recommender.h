// Recommender: the one interface every model implements, from popularity to transformers.
//
// A model is fit once on UserHistories and is then immutable: Score/SimilarItems/Explain are
// const and thread-safe. Recommendation lists, filters and top-k are done once for all models
// in rank/ from the scores a model writes; models only score.
//
// Real time: scoring takes the user's history as it is at request time (read from the store),
// so events stored a moment ago change the next recommendation without retraining.
#ifndef TAILOR_MODELS_RECOMMENDER_H_
#define TAILOR_MODELS_RECOMMENDER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/binary_io.h"
#include "common/progress.h"
#include "dataset/histories.h"
#include "dataset/item_features.h"
#include "dataset/item_vectors.h"
#include "tailor/status.h"

namespace tailor {

// Who to recommend for: a known user (index into the training data, or -1 for an unknown or
// anonymous user) and their current history, oldest first.
struct Query {
  int32_t user = -1;
  std::span<const Interaction> history;
};

class Recommender;

// Called by iterative models after each epoch (1-based) with the model in a usable state
// (Score works); returning false stops training early, keeping the model as it is now.
// Used by validation-based early stopping (tailor tune, the sequential models).
using EpochFn = std::function<bool(int epoch, const Recommender& model)>;

struct FitOptions {
  int threads = 0;              // 0 = all cores
  uint64_t seed = 42;
  ProgressFn progress;          // may be empty
  EpochFn on_epoch;             // may be empty; iterative models call it after every epoch
  // Folder for per-epoch training checkpoints (empty = none). Models that train for long
  // (the sequential models) write one there after every epoch and, when a checkpoint of the
  // same data and params is present, resume from it instead of starting over.
  std::string checkpoint_dir;
  // Side information of the items being fit (indexed like the histories' items; may be null).
  // Models that fuse item attributes read it (the sequential models); others ignore it.
  const ItemFeatures* item_features = nullptr;
  // Dense content vectors of the same items (image vectors, text embeddings, or both
  // concatenated: ConcatNormalized; may be null). Models that fuse content read it (the
  // sequential models); others ignore it.
  const ItemVectors* item_vectors = nullptr;
};

class Recommender {
 public:
  virtual ~Recommender() = default;

  // The registered name ("popularity", "item-knn", ...).
  virtual std::string name() const = 0;
  // The hyperparameters in effect, as a JSON object (written into artifacts and reports).
  virtual nlohmann::json params() const = 0;

  // Learns from the histories. Errors: kInvalidArgument for unusable params,
  // kResourceExhausted when the data would not fit the model's limits.
  virtual Status Fit(const UserHistories& train, const FitOptions& options) = 0;

  // Number of items the model was fit on; items with a larger index are unknown to it.
  virtual int32_t num_items() const = 0;

  // Writes a score for every item index < scores.size() (higher = better). Items the model
  // knows nothing about get the model's lowest score. Must not treat
  // the history's items as excluded: rank/ applies filters.
  virtual void Score(const Query& query, std::span<float> scores) const = 0;

  // Similarity of every item to `item_idx` (higher = more similar); `scores[item_idx]` is
  // ignored by callers.
  virtual void SimilarItems(int32_t item_idx, std::span<float> scores) const = 0;

  // A short human reason why `item_idx` is recommended for `query`, e.g.
  // "bought together with <item 17>". Item indexes in the text are written as {item:N} and
  // replaced by titles in rank/.
  virtual std::string Explain(const Query& query, int32_t item_idx) const = 0;

  // What the last Fit measured about itself, for benchmark output (e.g. {"epochs": 15,
  // "seconds_per_epoch": 0.03, "gflops": 41.2}); empty when the model reports nothing.
  // Not saved in artifacts.
  virtual nlohmann::json fit_stats() const;

  // Model-specific payload of the artifact (the header is written by SaveModel).
  virtual Status SavePayload(BinaryWriter& out) const = 0;
  virtual Status LoadPayload(BinaryReader& in) = 0;
};

// Implemented by models that predict explicit ratings (stars) besides ranking, e.g. "mf".
// Found with dynamic_cast<const RatingPredictor*>(&model). Thread-safe like Score.
class RatingPredictor {
 public:
  virtual ~RatingPredictor() = default;
  // Predicted stars of `item_idx` for `query`; the user's rated interactions in
  // query.history (Interaction::value > 0) may be folded in at request time, so an unknown
  // user still gets a personal prediction. Unknown items get the global mean plus user bias.
  virtual float PredictRating(const Query& query, int32_t item_idx) const = 0;
  // PredictRating of items[n] into out[n] for one query (out.size() >= items.size()), so a
  // model folds the history in once; the default calls PredictRating per item.
  virtual void PredictRatings(const Query& query, std::span<const int32_t> items,
                              std::span<float> out) const {
    for (size_t pos = 0; pos < items.size(); ++pos) out[pos] = PredictRating(query, items[pos]);
  }
};

// The reason every history-based model gives: "similar to {item:H} in your history".
inline std::string SimilarInHistoryReason(int32_t history_item) {
  return "similar to {item:" + std::to_string(history_item) + "} in your history";
}

// Creates an unfitted model by name with params (a JSON object; missing fields take the
// model's documented defaults). Errors: kNotFound for an unknown name (the message lists the
// known ones), kInvalidArgument for a bad param (names it).
StatusOr<std::unique_ptr<Recommender>> MakeRecommender(std::string_view name,
                                                       const nlohmann::json& params);
StatusOr<std::unique_ptr<Recommender>> MakeRecommender(std::string_view name);
// The names MakeRecommender knows.
std::vector<std::string> RecommenderNames();

// Versioned artifact: magic, format version, model name, params JSON, payload, checksum.
// Written to a temp file and renamed, so a reader never sees half an artifact.
Status SaveModel(const Recommender& model, const std::string& path);
// Errors: kNotFound (no file), kDataLoss (truncated/corrupt), kFailedPrecondition (newer
// format version).
StatusOr<std::unique_ptr<Recommender>> LoadModel(const std::string& path);

}  // namespace tailor

#endif  // TAILOR_MODELS_RECOMMENDER_H_
