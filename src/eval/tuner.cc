#include "eval/tuner.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

namespace tailor {
namespace {

// Draws spent looking for an untried point before accepting a repeat.
constexpr int kRetriesForNewPoint = 64;

// Rounds to 3 significant digits: the search does not need more, and short values read well
// in the table and the tuned file.
double RoundSignificant(double value) {
  if (value == 0.0 || !std::isfinite(value)) return value;
  const double digits = std::floor(std::log10(std::fabs(value)));
  const double scale = std::pow(10.0, 2.0 - digits);
  return std::round(value * scale) / scale;
}

struct Bounds {
  double lo;
  double hi;
};

// The range in the coordinates that are mapped linearly onto [0, 1].
Bounds TransformedBounds(const ParamRange& range) {
  double lo = range.min;
  double hi = range.max;
  if (range.integer) {
    lo -= 0.5;
    hi += 0.5;
  }
  if (range.log) {
    lo = std::log(lo);
    hi = std::log(hi);
  }
  return {lo, hi};
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// A 1-D Parzen density on [0, 1]: a uniform prior (weight 1) plus one Gaussian per point,
// each truncated to [0, 1] and renormalised. As in hyperopt's adaptive Parzen estimator, a
// point's bandwidth is the larger gap to its neighbours (the prior's centre 0.5 counts as a
// neighbour), clipped to [1 / min(100, n + 1), 1]: wide while points are few and scattered,
// narrow where they cluster, never narrower than the clip so the search keeps moving.
class Parzen {
 public:
  explicit Parzen(std::vector<double> points) : points_(std::move(points)) {
    const double n = static_cast<double>(points_.size());
    const double min_sigma = 1.0 / std::min(100.0, n + 1.0);
    std::vector<double> sorted = points_;
    sorted.push_back(0.5);
    std::sort(sorted.begin(), sorted.end());
    for (double point : points_) {
      const auto pos = static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), point) -
                                           sorted.begin());
      const double left = pos > 0 ? point - sorted[pos - 1] : 0.0;
      const double right = pos + 1 < sorted.size() ? sorted[pos + 1] - point : 0.0;
      const double sigma = std::clamp(std::max(left, right), min_sigma, 1.0);
      sigmas_.push_back(sigma);
      mass_.push_back(NormalCdf((1.0 - point) / sigma) - NormalCdf(-point / sigma));
    }
  }

  double Density(double unit) const {
    double sum = 1.0;  // the uniform prior
    for (size_t point_idx = 0; point_idx < points_.size(); ++point_idx) {
      const double sigma = sigmas_[point_idx];
      const double z = (unit - points_[point_idx]) / sigma;
      sum += std::exp(-0.5 * z * z) / (sigma * std::sqrt(2.0 * std::numbers::pi)) /
             mass_[point_idx];
    }
    return sum / (1.0 + static_cast<double>(points_.size()));
  }

  // `uniform` and `normal` draw from U[0, 1) and N(0, 1).
  template <typename UniformFn, typename NormalFn>
  double Sample(UniformFn uniform, NormalFn normal) const {
    const auto component =
        static_cast<size_t>(uniform() * (static_cast<double>(points_.size()) + 1.0));
    if (component >= points_.size()) return uniform();
    const double center = points_[component];
    for (int attempt = 0; attempt < 32; ++attempt) {
      const double unit = center + sigmas_[component] * normal();
      if (unit >= 0.0 && unit <= 1.0) return unit;
    }
    return center;
  }

 private:
  std::vector<double> points_;
  std::vector<double> sigmas_;  // [point] bandwidth
  std::vector<double> mass_;    // [point] probability of its Gaussian inside [0, 1]
};

}  // namespace

const char* TrialOriginName(TrialOrigin origin) {
  switch (origin) {
    case TrialOrigin::kQueued: return "default";
    case TrialOrigin::kRandom: return "random";
    case TrialOrigin::kRefined: return "refined";
  }
  return "?";
}

Tuner::Tuner(std::vector<ParamRange> space, const TunerOptions& options)
    : space_(std::move(space)), options_(options), rng_(options.seed) {}

StatusOr<Tuner> Tuner::Create(std::vector<ParamRange> space, const TunerOptions& options) {
  if (space.empty()) return InvalidArgumentError("tuner: the search space is empty");
  std::set<std::string> names;
  for (const ParamRange& range : space) {
    const std::string name = range.name;
    auto bad = [&](const std::string& what) {
      return InvalidArgumentError("tuner: param '" + name + "': " + what);
    };
    if (!names.insert(name).second) return bad("listed twice");
    if (!std::isfinite(range.min) || !std::isfinite(range.max)) return bad("bounds must be finite");
    if (range.min > range.max) return bad("min > max");
    if (range.log && range.min <= 0) return bad("a log range needs min > 0");
    if (range.integer && (range.min != std::floor(range.min) || range.max != std::floor(range.max))) {
      return bad("an integer range needs integer bounds");
    }
  }
  if (options.max_trials < 1) return InvalidArgumentError("tuner: max_trials must be >= 1");
  if (options.warmup_trials < 0) return InvalidArgumentError("tuner: warmup_trials must be >= 0");
  if (options.candidates < 1) return InvalidArgumentError("tuner: candidates must be >= 1");
  if (!(options.good_fraction > 0.0 && options.good_fraction <= 1.0)) {
    return InvalidArgumentError("tuner: good_fraction must be in (0, 1]");
  }
  if (options.search_patience < 0) {
    return InvalidArgumentError("tuner: search_patience must be >= 0");
  }
  TunerOptions resolved = options;
  if (resolved.warmup_trials == 0) resolved.warmup_trials = std::max(5, options.max_trials / 3);
  return Tuner(std::move(space), resolved);
}

double Tuner::ToUnit(size_t dim, double value) const {
  const ParamRange& range = space_[dim];
  const Bounds bounds = TransformedBounds(range);
  if (bounds.hi <= bounds.lo) return 0.5;
  const double clamped = std::clamp(value, range.min, range.max);
  const double transformed = range.log ? std::log(clamped) : clamped;
  return std::clamp((transformed - bounds.lo) / (bounds.hi - bounds.lo), 0.0, 1.0);
}

double Tuner::FromUnit(size_t dim, double unit) const {
  const ParamRange& range = space_[dim];
  const Bounds bounds = TransformedBounds(range);
  const double transformed = bounds.lo + std::clamp(unit, 0.0, 1.0) * (bounds.hi - bounds.lo);
  double value = range.log ? std::exp(transformed) : transformed;
  value = range.integer ? std::round(value) : RoundSignificant(value);
  return std::clamp(value, range.min, range.max);
}

nlohmann::json Tuner::ValuesToJson(const std::vector<double>& values) const {
  nlohmann::json out = nlohmann::json::object();
  for (size_t dim = 0; dim < space_.size() && dim < values.size(); ++dim) {
    if (space_[dim].integer) {
      out[space_[dim].name] = static_cast<int64_t>(std::llround(values[dim]));
    } else {
      out[space_[dim].name] = values[dim];
    }
  }
  return out;
}

void Tuner::Enqueue(std::vector<double> values) {
  values.resize(space_.size(), 0.0);
  for (size_t dim = 0; dim < space_.size(); ++dim) {
    double value = std::clamp(values[dim], space_[dim].min, space_[dim].max);
    if (space_[dim].integer) value = std::round(value);
    values[dim] = value;
  }
  queue_.push_back(std::move(values));
}

bool Tuner::Done() const { return !StopReason().empty(); }

std::string Tuner::StopReason() const {
  const auto recorded = static_cast<int>(trials_.size());
  if (recorded >= options_.max_trials) return "trials";
  if (options_.search_patience > 0 && since_best_ >= options_.search_patience) {
    return "search patience";
  }
  return "";
}

double Tuner::Uniform01() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

double Tuner::Normal() {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - Uniform01()));
  return radius * std::cos(2.0 * std::numbers::pi * Uniform01());
}

std::vector<double> Tuner::RandomPoint() {
  std::vector<double> values(space_.size());
  for (size_t dim = 0; dim < space_.size(); ++dim) values[dim] = FromUnit(dim, Uniform01());
  return values;
}

bool Tuner::Tried(const std::vector<double>& values) const { return FindTrial(values) != nullptr; }

std::vector<double> Tuner::RefinedPoint() {
  std::vector<const TunerTrial*> ranked;
  std::vector<const TunerTrial*> failed;
  for (const TunerTrial& trial : trials_) (trial.ok() ? ranked : failed).push_back(&trial);
  if (ranked.size() < 2) return RandomPoint();
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const TunerTrial* a, const TunerTrial* b) { return a->metric > b->metric; });
  const size_t num_good = std::clamp<size_t>(
      static_cast<size_t>(std::ceil(options_.good_fraction * static_cast<double>(ranked.size()))),
      1, ranked.size());

  std::vector<Parzen> good;
  std::vector<Parzen> bad;
  for (size_t dim = 0; dim < space_.size(); ++dim) {
    std::vector<double> good_points;
    std::vector<double> bad_points;
    for (size_t rank = 0; rank < ranked.size(); ++rank) {
      (rank < num_good ? good_points : bad_points).push_back(ToUnit(dim, ranked[rank]->values[dim]));
    }
    for (const TunerTrial* trial : failed) bad_points.push_back(ToUnit(dim, trial->values[dim]));
    good.emplace_back(std::move(good_points));
    bad.emplace_back(std::move(bad_points));
  }

  auto uniform = [this] { return Uniform01(); };
  auto normal = [this] { return Normal(); };
  std::vector<double> best_values;
  bool best_is_new = false;
  double best_score = -std::numeric_limits<double>::infinity();
  for (int candidate = 0; candidate < options_.candidates; ++candidate) {
    std::vector<double> values(space_.size());
    double score = 0.0;
    for (size_t dim = 0; dim < space_.size(); ++dim) {
      values[dim] = FromUnit(dim, good[dim].Sample(uniform, normal));
      // Score the value that will run (after rounding), not the raw draw.
      const double unit = ToUnit(dim, values[dim]);
      score += std::log(good[dim].Density(unit)) - std::log(bad[dim].Density(unit));
    }
    const bool is_new = !Tried(values);
    // An untried point beats any repeat; among equals the higher l/g wins.
    if ((is_new && !best_is_new) || (is_new == best_is_new && score > best_score)) {
      best_values = std::move(values);
      best_score = score;
      best_is_new = is_new;
    }
  }
  if (best_is_new) return best_values;
  for (int attempt = 0; attempt < kRetriesForNewPoint; ++attempt) {
    std::vector<double> values = RandomPoint();
    if (!Tried(values)) return values;
  }
  return best_values;
}

TunerSuggestion Tuner::Suggest() {
  if (!queue_.empty()) {
    TunerSuggestion out{std::move(queue_.front()), TrialOrigin::kQueued};
    queue_.erase(queue_.begin());
    return out;
  }
  if (static_cast<int>(trials_.size()) < options_.warmup_trials) {
    std::vector<double> values = RandomPoint();
    for (int attempt = 0; attempt < kRetriesForNewPoint && Tried(values); ++attempt) {
      values = RandomPoint();
    }
    return {std::move(values), TrialOrigin::kRandom};
  }
  return {RefinedPoint(), TrialOrigin::kRefined};
}

const TunerTrial& Tuner::Record(TunerTrial trial) {
  trial.number = static_cast<int>(trials_.size()) + 1;
  trials_.push_back(std::move(trial));
  const TunerTrial& stored = trials_.back();
  if (stored.ok() && (best_idx_ < 0 || stored.metric > trials_[static_cast<size_t>(best_idx_)].metric)) {
    best_idx_ = static_cast<int>(trials_.size()) - 1;
    since_best_ = 0;
  } else if (static_cast<int>(trials_.size()) > options_.warmup_trials) {
    ++since_best_;  // the refinement gets search_patience trials after the warm-up
  }
  return stored;
}

const TunerTrial* Tuner::best() const {
  return best_idx_ < 0 ? nullptr : &trials_[static_cast<size_t>(best_idx_)];
}

const TunerTrial* Tuner::FindTrial(const std::vector<double>& values) const {
  for (const TunerTrial& trial : trials_) {
    if (trial.values == values) return &trial;
  }
  return nullptr;
}

}  // namespace tailor
