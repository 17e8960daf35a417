#include "tools/experiment.h"

#include <chrono>
#include <sstream>

#include "common/progress.h"

namespace tailor::cli {

StatusOr<FittedModel> FitNamedModel(const std::string& name, const nlohmann::json& params,
                                    const UserHistories& train, int threads, uint64_t seed) {
  FittedModel out;
  ASSIGN_OR_RETURN(out.model, MakeRecommender(name, params));
  ConsoleProgress progress;
  FitOptions fit;
  fit.threads = threads;
  fit.seed = seed;
  fit.progress = progress.AsFn();
  auto start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(out.model->Fit(train, fit).WithContext("training " + name));
  out.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

}  // namespace tailor::cli
