// Tuner: the hyperparameter search behind `tailor tune`. It proposes points of a model's
// search space (models/params.h ParamRange), the caller evaluates them (tune_trial.h) and
// reports the metric back; the Tuner keeps the trials and the best one.
//
// Search: random warm-up, then a Tree-structured Parzen Estimator (Bergstra et al. 2011,
// "Algorithms for Hyper-Parameter Optimization"), kept small:
//   - every parameter is mapped to the unit interval u in [0, 1] (linearly, or on log(x) for
//     `log` ranges; integers own equal slices [n - 0.5, n + 0.5]); a value is read back
//     rounded (integers) or to 3 significant digits (reals), so the table and the tuned file
//     show what actually ran;
//   - queued points (the model's defaults) run first, then random trials until
//     warmup_trials are done (default max(5, max_trials / 3));
//   - afterwards the successful trials are split into "good" (the best good_fraction, at
//     least one) and "bad" (the rest and the failed ones). Per parameter, l(u) and g(u) are
//     mixtures of a uniform prior (weight 1) and a Gaussian per point (truncated to [0, 1];
//     bandwidth = the larger gap to the neighbouring points, clipped to [1/min(100, n+1), 1],
//     hyperopt's adaptive Parzen estimator). `candidates` points are drawn from l and the one
//     maximising prod l(u) / g(u) that was not tried yet is proposed: proposals concentrate
//     where good trials cluster and away from bad ones, while the prior keeps exploring.
//     On a quadratic bowl (tuner_test.cc) the best of 40 trials lands ~2-3x closer to the
//     optimum than random search's.
// Stops after max_trials, or after search_patience trials in a row without improving the
// best metric (warm-up trials do not count: the refinement always gets its chance). Deterministic for a given seed (own uniform/normal draws, no std:: distribution).
// Not thread-safe; one per search.
#ifndef TAILOR_EVAL_TUNER_H_
#define TAILOR_EVAL_TUNER_H_

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/params.h"
#include "tailor/status.h"

namespace tailor {

struct TunerOptions {
  int max_trials = 20;          // trials in all, queued ones included (>= 1)
  int warmup_trials = 0;        // queued + random trials before refining; 0 = max(5, max_trials/3)
  int candidates = 24;          // draws from l(u) per refined proposal (>= 1)
  double good_fraction = 0.25;  // share of the successful trials forming l(u), in (0, 1]
  int search_patience = 0;      // stop after this many trials without improvement (after the
                                // warm-up); 0 = never
  uint64_t seed = 42;
};

// How a point was proposed.
enum class TrialOrigin { kQueued, kRandom, kRefined };
const char* TrialOriginName(TrialOrigin origin);  // "default", "random", "refined"

// One evaluated point with its bookkeeping; the caller fills the fields below `metric`.
struct TunerTrial {
  int number = 0;              // 1-based, in order of Record
  std::vector<double> values;  // [dimension] in the parameter's units
  TrialOrigin origin = TrialOrigin::kRandom;
  double metric = std::numeric_limits<double>::quiet_NaN();  // higher is better; NaN = failed
  nlohmann::json params = nlohmann::json::object();  // the params the model ran with
  double seconds = 0.0;        // wall time of the trial
  int best_epoch = 0;          // epoch of `metric` for iterative models; 0 otherwise
  int epochs_run = 0;          // epochs trained (iterative models); 0 otherwise
  bool stopped_early = false;  // training was stopped by the validation patience
  std::string note;            // why the trial failed (metric NaN), or a remark

  bool ok() const { return metric == metric; }
};

struct TunerSuggestion {
  std::vector<double> values;  // [dimension] in the parameter's units
  TrialOrigin origin = TrialOrigin::kRandom;
};

class Tuner {
 public:
  // Errors: kInvalidArgument for an empty space, a duplicate name, min > max, non-finite
  // bounds, a log range with min <= 0, an integer range with fractional bounds, or bad options.
  static StatusOr<Tuner> Create(std::vector<ParamRange> space, const TunerOptions& options);

  // Queues a point to try before the random ones (values clamped into the ranges and rounded
  // like every proposal). `values` must have one entry per dimension.
  void Enqueue(std::vector<double> values);

  // Whether the search is over (max_trials recorded, or the search patience ran out).
  bool Done() const;
  // Why Done() is true: "trials" or "search patience"; "" while running.
  std::string StopReason() const;

  // The next point to evaluate. Never a point already recorded unless the space offers no
  // other (tiny integer spaces); FindTrial tells the caller.
  TunerSuggestion Suggest();
  // Records an evaluated point (trial.values and trial.metric set); assigns trial.number and
  // returns the stored trial (valid until the next Record).
  const TunerTrial& Record(TunerTrial trial);

  const std::vector<ParamRange>& space() const { return space_; }
  const std::vector<TunerTrial>& trials() const { return trials_; }
  // The best successful trial (earliest on ties), or nullptr when none succeeded.
  const TunerTrial* best() const;
  // A recorded trial with exactly these values, or nullptr.
  const TunerTrial* FindTrial(const std::vector<double>& values) const;
  int warmup_trials() const { return options_.warmup_trials; }

  // Mapping between parameter units and the unit interval (exposed for tests).
  double ToUnit(size_t dim, double value) const;
  double FromUnit(size_t dim, double unit) const;
  // {"neighbors": 120, "shrink": 13.4}: integers as JSON integers.
  nlohmann::json ValuesToJson(const std::vector<double>& values) const;

 private:
  Tuner(std::vector<ParamRange> space, const TunerOptions& options);
  double Uniform01();
  double Normal();
  std::vector<double> RandomPoint();
  std::vector<double> RefinedPoint();
  bool Tried(const std::vector<double>& values) const;

  std::vector<ParamRange> space_;
  TunerOptions options_;
  std::mt19937_64 rng_;
  std::vector<std::vector<double>> queue_;
  std::vector<TunerTrial> trials_;
  int best_idx_ = -1;
  int since_best_ = 0;  // post-warm-up trials recorded since the best one improved
};

}  // namespace tailor

#endif  // TAILOR_EVAL_TUNER_H_
