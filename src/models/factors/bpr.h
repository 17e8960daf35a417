// BprRecommender ("bpr"): Bayesian Personalized Ranking (Rendle, Freudenthaler, Gantner &
// Schmidt-Thieme 2009, "BPR: Bayesian personalized ranking from implicit feedback") with
// matrix-factorisation scoring whose user vector is computed from the user's history:
//   x(u, i) = b_i + q_i . ([p_u] + |H_u|^-alpha * sum_{h in H_u} y_h)
// H_u is the set of distinct items in u's history (duplicates count once, event weights are
// ignored: BPR's data is the binary "u interacted with i"). The history term is the
// "asymmetric" user of NSVD/SVD++ (Paterek 2007; Koren 2008) and FISM (Kabbur et al. 2013);
// as in FISM, a training positive i leaves its own y_i out of the sum (the model must explain
// i from the user's *other* items), and Score does the same for the history's own items.
// The free user factors p_u of BPR-MF are optional (user_factors, off by default: on
// amazon-beauty they add no accuracy, make known users rank worse with seen items kept, and
// are stale for events after training); history_factors = false gives plain BPR-MF.
//
// Fit maximises sum ln sigmoid(x(u,i) - x(u,j)) - L2 over triples (u, i, j) by lock-free
// SGD on every core: an epoch draws as many triples as there are distinct training (user,
// item) pairs. Users are visited in a fresh random order each epoch, in blocks of users
// handed to the threads; a user with n distinct items draws n triples, each with a positive
// i uniform over the user's items (so every sample is uniform over the pairs) and a negative
// j uniform over the items the user has NOT interacted with (SampleNegative: exact, any
// density). The y_h gradient of a user's triples is applied to the rows once after them
// (Koren 2008, section 4), while the running sum of the user's y_h follows every step, so
// the triples see each other's updates as in per-sample SGD (a plain delayed update is one
// big batch step that overshoots for long histories). With more than one thread, each
// thread updates a private copy of the item side without locks and the copies' changes are
// summed into the model after every epoch (Hogwild, Niu et al. 2011, with the other
// threads' updates arriving one epoch late: sharing the rows directly bounces cache lines
// between the cores and made 2 threads slower than 1). Learning rate: linear decay from
// learning_rate to learning_rate * lr_end_fraction over the epochs. L2 on p, q, y
// (regularization) and on b (bias_regularization) at every sample that touches them.
// Random streams are per block of users, seeded from FitOptions.seed, the epoch and the
// block, so one thread is deterministic.
//
// Real time: Score builds the user vector from query.history (plus the trained p_u for a
// user known at training time, with user_factors), so an event stored a moment ago changes
// the next ranking without retraining, exactly as the model was trained to use it (no
// fold-in approximation), and an anonymous shopper is scored like a known one. No known
// history item: item popularity. Items >= num_items() get the lowest score.
// Immutable after Fit/LoadPayload; Score/SimilarItems/Explain are thread-safe.
#ifndef TAILOR_MODELS_FACTORS_BPR_H_
#define TAILOR_MODELS_FACTORS_BPR_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "models/factors/factor_matrix.h"
#include "models/params.h"
#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {

struct BprOptions {
  int factors = 64;                   // k, the factor dimension (1..1024)
  int epochs = 100;                   // SGD passes (1..100000)
  double learning_rate = 0.1;         // initial SGD step (> 0)
  double lr_end_fraction = 0.1;       // last epoch's step = learning_rate * this (0..1)
  double regularization = 0.002;      // L2 on p_u, q_i, y_h per sample (>= 0)
  double bias_regularization = 0.01;  // L2 on b_i per sample (>= 0)
  double history_exponent = 0.5;      // alpha in |H_u|^-alpha (0..1)
  double init_stddev = 0.01;          // stddev of the random initial factors (>= 0)
  bool user_factors = false;          // the free p_u term of BPR-MF (false: users are their
                                      // history term alone)
  bool history_factors = true;        // the y_h history term (false: plain BPR-MF, where a
                                      // user unknown at training gets the item-bias ranking)

  // Errors: kInvalidArgument naming the bad or unknown param (also when both user_factors
  // and history_factors are false).
  static StatusOr<BprOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() {
    return {{"factors", 16, 256, true, true},
            {"epochs", 10, 400, true, true},
            {"learning_rate", 0.005, 0.3, true},
            {"regularization", 1e-5, 0.05, true},
            {"history_exponent", 0.0, 1.0}};
  }
  nlohmann::json ToJson() const;
};

// SplitMix64 (Steele, Lea & Flood 2014): a fast, small, seedable generator for the SGD loop.
// Not thread-safe: one per thread or block.
class BprRng {
 public:
  explicit BprRng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) without bias (Lemire 2019); n in [1, 2^32).
  uint32_t Uniform(uint32_t n) {
    uint64_t product = (Next() >> 32) * n;
    auto low = static_cast<uint32_t>(product);
    if (low < n) {
      const uint32_t threshold = static_cast<uint32_t>(-n) % n;
      while (low < threshold) {
        product = (Next() >> 32) * n;
        low = static_cast<uint32_t>(product);
      }
    }
    return static_cast<uint32_t>(product >> 32);
  }

 private:
  uint64_t state_;
};

// A negative item for a user: uniform over the items in [0, num_items) that are NOT in
// `positives` (the user's distinct items, sorted ascending, all < num_items). One draw and a
// binary search, exact at any density (a user who has nearly every item included): draw the
// rank r of the negative among the num_items - |positives| negatives and map it to the item
// r + #{p in positives : p - (index of p) <= r}. Returns -1 when there is no negative.
int32_t SampleNegative(std::span<const int32_t> positives, int32_t num_items, BprRng& rng);

class BprRecommender final : public Recommender {
 public:
  using Options = BprOptions;
  static constexpr char kName[] = "bpr";

  explicit BprRecommender(const BprOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument for params out of range (named).
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return item_factors_.rows(); }
  void Score(const Query& query, std::span<float> scores) const override;
  // Cosine of the item factors q; popularity for an unknown item.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "similar to {item:H} in your history" (cosine of q), else the popularity reason.
  std::string Explain(const Query& query, int32_t item_idx) const override;
  // {epochs, seconds_per_epoch, samples_per_second, threads, factors, loss, sampled_auc}.
  nlohmann::json fit_stats() const override { return fit_stats_; }
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // The user vector Score uses for `query` (size factors): p_u (known user) plus the history
  // term. False when the query has no known history item (Score then ranks by popularity).
  bool UserVector(const Query& query, std::vector<float>* user) const;

 private:
  // The distinct known items of a history, ascending.
  std::vector<int32_t> KnownItems(std::span<const Interaction> history) const;

  BprOptions options_;
  FactorMatrix user_factors_;         // p: users x k (0 rows without user_factors)
  FactorMatrix item_factors_;         // q: items x k
  FactorMatrix history_factors_;      // y: items x k (0 rows without history_factors)
  std::vector<float> item_bias_;      // b: [item]
  std::vector<float> inverse_norms_;  // of item_factors_, for cosines
  ItemPopularity popularity_;
  nlohmann::json fit_stats_ = nlohmann::json::object();
};

}  // namespace tailor

#endif  // TAILOR_MODELS_FACTORS_BPR_H_
