// The sequential recommenders: "sasrec" (causal self-attention, Kang & McAuley 2018, trained
// with full cross-entropy) and "gru4rec" (GRU, Hidasi et al. 2016, same training loop), for
// comparing what the architecture buys. Both read a shopper's steps in order and score every
// item as the next one: score(i) = h(history) . e_i with the item embeddings e tied to the
// input layer. e_i fuses the item's id embedding with its side features (FitOptions::
// item_features) and a learnt projection of its content vector (FitOptions::item_vectors:
// image and/or text, multimodal); an item with a vector but no training events is placed
// by its content alone (cold start).
//
// Fit trains with libtorch (sequence_trainer.h: early stopping on validation NDCG@10,
// checkpoints in FitOptions.checkpoint_dir, resume); the result is a SequenceEncoder, plain
// C++ weights and forward pass, which is what artifacts hold and what Score runs.
// Real time: Score encodes query.history as read at request time (consecutive repeats
// collapsed, the last max_len steps), so an event stored a moment ago, or an anonymous
// session's events, change the next ranking without retraining. No known history item: item
// popularity. Items >= num_items() get the lowest score.
// Immutable after Fit/LoadPayload; Score/SimilarItems/Explain are thread-safe.
#ifndef TAILOR_MODELS_NEURAL_SEQUENTIAL_RECOMMENDER_H_
#define TAILOR_MODELS_NEURAL_SEQUENTIAL_RECOMMENDER_H_

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "models/neural/sequence_encoder.h"
#include "models/neural/sequence_options.h"
#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {

class SequentialRecommender : public Recommender {
 public:
  std::string name() const override { return name_; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument when no history has two steps; kInternal for libtorch failures.
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return encoder_.num_items(); }
  void Score(const Query& query, std::span<float> scores) const override;
  // Cosine of the item embeddings; popularity for an unknown item.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "similar to {item:H} in your history" (cosine of the embeddings), else popularity's.
  std::string Explain(const Query& query, int32_t item_idx) const override;
  nlohmann::json fit_stats() const override { return fit_stats_; }
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // h for a history (size dim); false when the history has no known item.
  bool Encode(std::span<const Interaction> history, std::vector<float>* out) const;

 protected:
  SequentialRecommender(std::string name, const SequenceModelOptions& options)
      : name_(std::move(name)), options_(options) {}

 private:
  void SetEncoder(SequenceEncoder encoder);

  std::string name_;
  SequenceModelOptions options_;
  SequenceEncoder encoder_;
  std::vector<float> inverse_norms_;
  ItemPopularity popularity_;
  nlohmann::json fit_stats_ = nlohmann::json::object();
};

struct SasRecOptions : SequenceModelOptions {
  static StatusOr<SasRecOptions> FromJson(const nlohmann::json& params);
};

class SasRecRecommender final : public SequentialRecommender {
 public:
  using Options = SasRecOptions;
  static constexpr char kName[] = "sasrec";
  explicit SasRecRecommender(const Options& options = Options())
      : SequentialRecommender(kName, options) {}
};

// GRU4Rec defaults: one GRU layer, dropout 0.3, no weight decay (the transformer's other
// defaults).
struct Gru4RecOptions : SequenceModelOptions {
  Gru4RecOptions();
  static StatusOr<Gru4RecOptions> FromJson(const nlohmann::json& params);
};

class Gru4RecRecommender final : public SequentialRecommender {
 public:
  using Options = Gru4RecOptions;
  static constexpr char kName[] = "gru4rec";
  explicit Gru4RecRecommender(const Options& options = Options())
      : SequentialRecommender(kName, options) {}
};

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SEQUENTIAL_RECOMMENDER_H_
