#include "eval/seed_summary.h"

#include <cmath>

namespace tailor {
namespace {

// The first metric of `from` that `to` lacks, or "" when `to` has them all.
std::string FirstMissing(const MetricMap& from, const MetricMap& to) {
  for (const auto& [name, value] : from) {
    if (!to.contains(name)) return name;
  }
  return "";
}

Status MissingError(const std::string& name, size_t seed_idx) {
  return InvalidArgumentError("seed summary: metric '" + name + "' missing for seed " +
                              std::to_string(seed_idx));
}

}  // namespace

StatusOr<SeedSummary> SummarizeSeeds(std::vector<MetricMap> per_seed) {
  if (per_seed.empty()) return InvalidArgumentError("seed summary: no seeds to summarise");
  // Every seed must report the same metrics, or a mean would mix different sets of seeds.
  const MetricMap& first = per_seed.front();
  for (size_t seed_idx = 1; seed_idx < per_seed.size(); ++seed_idx) {
    if (std::string name = FirstMissing(first, per_seed[seed_idx]); !name.empty()) {
      return MissingError(name, seed_idx);
    }
    if (std::string name = FirstMissing(per_seed[seed_idx], first); !name.empty()) {
      return MissingError(name, 0);
    }
  }
  SeedSummary out;
  const double count = static_cast<double>(per_seed.size());
  for (const auto& [name, first_value] : first) {
    double sum = 0.0;
    for (const MetricMap& metrics : per_seed) sum += metrics.at(name);
    const double mean = sum / count;
    // Squared deviations from the mean (not sum of squares minus squared sum): exact 0 for
    // equal values, no cancellation for small spreads.
    double squares = 0.0;
    for (const MetricMap& metrics : per_seed) {
      const double deviation = metrics.at(name) - mean;
      squares += deviation * deviation;
    }
    out.mean[name] = mean;
    out.stddev[name] = per_seed.size() > 1 ? std::sqrt(squares / (count - 1.0)) : 0.0;
  }
  out.per_seed = std::move(per_seed);
  return out;
}

}  // namespace tailor
