// The model registry: one table (registry.cc) from a model name to its factory and traits.
// MakeRecommender / RecommenderNames (recommender.h) read it; adding a model is one line there.
// Thread-safety: read-only after static initialisation; safe from any thread.
#ifndef TAILOR_MODELS_REGISTRY_H_
#define TAILOR_MODELS_REGISTRY_H_

#include <string>
#include <string_view>
#include <vector>

#include "models/params.h"
#include "tailor/status.h"

namespace tailor {

struct RecommenderInfo {
  std::string name;     // "item-knn"
  std::string summary;  // one line for listings and docs
  // True when a model's scores depend on the query (who asks, what they did). Personalized
  // models must learn the contract suite's checkerboard; global rankings (popularity,
  // trending) declare false and the suite checks instead that every query gets the same
  // scores.
  bool personalized = true;
  // The hyperparameters `tailor tune` searches (Options::SearchSpace()); empty = nothing to tune.
  std::vector<ParamRange> search_space;
};

// Every registered model, in registry order.
std::vector<RecommenderInfo> RegisteredRecommenders();
// Errors: kNotFound for an unknown name (the message lists the known ones).
StatusOr<RecommenderInfo> FindRecommender(std::string_view name);

}  // namespace tailor

#endif  // TAILOR_MODELS_REGISTRY_H_
