// SeedSummary: the mean and spread of one protocol's metrics over several training runs that
// differ only in the seed (model initialisation, sampling, sampled negatives). `tailor
// benchmark --seeds N` reports these for every protocol variant of issue 4's sequential
// models: "mean ± std over 3 seeds".
#ifndef TAILOR_EVAL_SEED_SUMMARY_H_
#define TAILOR_EVAL_SEED_SUMMARY_H_

#include <map>
#include <string>
#include <vector>

#include "tailor/status.h"

namespace tailor {

// One metric map per seed, e.g. {"recall@10": 0.08, "ndcg@10": 0.04}.
using MetricMap = std::map<std::string, double>;

struct SeedSummary {
  MetricMap mean;    // arithmetic mean over the seeds
  MetricMap stddev;  // sample standard deviation (n - 1 denominator); 0 for a single seed
  std::vector<MetricMap> per_seed;  // the input, in seed order
};

// Summarises `per_seed` (one map per seed, every map with the same metric names). Pure and
// thread-safe. Errors: kInvalidArgument for an empty list or when a seed's map lacks a metric
// another seed has (names the metric and the 0-based seed index).
StatusOr<SeedSummary> SummarizeSeeds(std::vector<MetricMap> per_seed);

}  // namespace tailor

#endif  // TAILOR_EVAL_SEED_SUMMARY_H_
