#include "models/registry.h"

#include <nlohmann/json.hpp>

#include "models/factors/bpr.h"
#include "models/factors/ials.h"
#include "models/factors/mf.h"
#include "models/knn/item_knn.h"
#include "models/knn/user_knn.h"
#include "models/linear/ease.h"
#include "models/neural/sequential_recommender.h"
#include "models/popularity/popularity.h"
#include "models/popularity/trending.h"
#include "models/recommender.h"

namespace tailor {
namespace {

using Factory = StatusOr<std::unique_ptr<Recommender>> (*)(const nlohmann::json& params);

// Parses the model's Options from params (the model names itself in errors) and creates it.
template <typename Model>
StatusOr<std::unique_ptr<Recommender>> Make(const nlohmann::json& params) {
  ASSIGN_OR_RETURN(typename Model::Options options, Model::Options::FromJson(params));
  return std::unique_ptr<Recommender>(std::make_unique<Model>(options));
}

using SpaceFn = std::vector<ParamRange> (*)();

// Options::SearchSpace() when the model declares one, else nothing to tune.
template <typename Model>
std::vector<ParamRange> Space() {
  if constexpr (requires { Model::Options::SearchSpace(); }) {
    return Model::Options::SearchSpace();
  } else {
    return {};
  }
}

struct Entry {
  const char* name;
  const char* summary;
  bool personalized;  // see RecommenderInfo::personalized
  Factory make;
  SpaceFn space;
};

// THE registry: one line per model.
constexpr Entry kRegistry[] = {
    {PopularityRecommender::kName, "most interacted items (sum of event weights)", false,
     &Make<PopularityRecommender>, &Space<PopularityRecommender>},
    {TrendingRecommender::kName, "popularity with exponential time decay", false,
     &Make<TrendingRecommender>, &Space<TrendingRecommender>},
    {ItemKnnRecommender::kName, "items similar to the history (shrunk cosine)", true,
     &Make<ItemKnnRecommender>, &Space<ItemKnnRecommender>},
    {UserKnnRecommender::kName, "what similar shoppers chose (shrunk cosine)", true,
     &Make<UserKnnRecommender>, &Space<UserKnnRecommender>},
    {EaseRecommender::kName, "closed-form item-item regression (Steck 2019)", true,
     &Make<EaseRecommender>, &Space<EaseRecommender>},
    {IalsRecommender::kName, "implicit ALS with conjugate gradient, fold-in at request time", true,
     &Make<IalsRecommender>, &Space<IalsRecommender>},
    {MfRecommender::kName, "biased MF / SVD++ of ratings (SGD), fold-in at request time", true,
     &Make<MfRecommender>, &Space<MfRecommender>},
    {BprRecommender::kName, "BPR matrix factorisation with a history term (Hogwild SGD)", true,
     &Make<BprRecommender>, &Space<BprRecommender>},
    {SasRecRecommender::kName, "self-attention over the shopper's steps in order (SASRec, libtorch)",
     true, &Make<SasRecRecommender>, &Space<SasRecRecommender>},
    {Gru4RecRecommender::kName, "GRU over the shopper's steps in order (GRU4Rec, libtorch)", true,
     &Make<Gru4RecRecommender>, &Space<Gru4RecRecommender>},
};

const Entry* FindEntry(std::string_view name) {
  for (const Entry& entry : kRegistry) {
    if (name == entry.name) return &entry;
  }
  return nullptr;
}

Status UnknownModel(std::string_view name) {
  std::string names;
  for (const Entry& entry : kRegistry)
    names += (names.empty() ? "" : ", ") + std::string(entry.name);
  return NotFoundError("unknown model '" + std::string(name) + "' (known: " + names + ")");
}

}  // namespace

nlohmann::json Recommender::fit_stats() const { return nlohmann::json::object(); }

std::vector<RecommenderInfo> RegisteredRecommenders() {
  std::vector<RecommenderInfo> out;
  for (const Entry& entry : kRegistry)
    out.push_back({entry.name, entry.summary, entry.personalized, entry.space()});
  return out;
}

StatusOr<RecommenderInfo> FindRecommender(std::string_view name) {
  const Entry* entry = FindEntry(name);
  if (entry == nullptr) return UnknownModel(name);
  return RecommenderInfo{entry->name, entry->summary, entry->personalized, entry->space()};
}

std::vector<std::string> RecommenderNames() {
  std::vector<std::string> names;
  for (const Entry& entry : kRegistry) names.emplace_back(entry.name);
  return names;
}

StatusOr<std::unique_ptr<Recommender>> MakeRecommender(std::string_view name,
                                                       const nlohmann::json& params) {
  const Entry* entry = FindEntry(name);
  if (entry == nullptr) return UnknownModel(name);
  try {
    return entry->make(params);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string(name) + ": bad params: " + e.what());
  }
}

StatusOr<std::unique_ptr<Recommender>> MakeRecommender(std::string_view name) {
  return MakeRecommender(name, nlohmann::json::object());
}

}  // namespace tailor
