// Fitting a model by name with progress and timing: shared by train, evaluate and benchmark.
#ifndef TAILOR_TOOLS_EXPERIMENT_H_
#define TAILOR_TOOLS_EXPERIMENT_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "dataset/histories.h"
#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor::cli {

struct FittedModel {
  std::unique_ptr<Recommender> model;
  double train_seconds = 0.0;
};

// Creates `name` with `params` and fits it on `train`, printing progress to stderr.
StatusOr<FittedModel> FitNamedModel(const std::string& name, const nlohmann::json& params,
                                    const UserHistories& train, int threads, uint64_t seed);

// "popularity,item-knn" -> {"popularity", "item-knn"} (empty parts dropped).
std::vector<std::string> SplitList(const std::string& list);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_EXPERIMENT_H_
