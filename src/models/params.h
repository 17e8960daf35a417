// ParamReader: strict parsing of a model's JSON params into its Options struct. Missing fields
// keep the Options default; a wrong type, an out-of-range value or an unknown field is a
// kInvalidArgument that names the model and the field ("item-knn: param 'shrink': expected a
// number >= 0, got -1"). JSON exceptions stop here.
// Not thread-safe; one per parse.
#ifndef TAILOR_MODELS_PARAMS_H_
#define TAILOR_MODELS_PARAMS_H_

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tailor/status.h"

namespace tailor {

// One searchable hyperparameter: tailor tune draws values in [min, max] (log-uniformly when
// `log`, rounded when `integer`). Each model lists its own in Options::SearchSpace().
struct ParamRange {
  const char* name;
  double min;
  double max;
  bool log = false;
  bool integer = false;
};

class ParamReader {
 public:
  // `params` must outlive the reader. `model` prefixes every error message.
  ParamReader(std::string model, const nlohmann::json& params);

  // Each reads the field `name` when present (leaving *out untouched when absent) and checks
  // the range [min, max].
  Status Int(const std::string& name, int* out, int min, int max);
  Status Double(const std::string& name, double* out, double min, double max);
  Status Bool(const std::string& name, bool* out);

  // kInvalidArgument when params is not an object (null counts as {}) or has a field no
  // Int/Double/Bool call asked for.
  Status Finish() const;

 private:
  Status Error(const std::string& name, const std::string& what) const;

  std::string model_;
  const nlohmann::json& params_;
  std::set<std::string> known_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_PARAMS_H_
