// EarlyStopping: the per-trial stopping rule of `tailor tune` for iterative models. The
// validation metric is measured every `eval_every` epochs; training stops once `patience`
// measurements in a row have not beaten the best one (strictly greater; NaN never improves).
// The best epoch is what the tuned params record as the model's epochs/iterations.
// Not thread-safe; one per training run.
#ifndef TAILOR_EVAL_EARLY_STOPPING_H_
#define TAILOR_EVAL_EARLY_STOPPING_H_

#include <limits>

namespace tailor {

struct EarlyStoppingOptions {
  int patience = 3;    // measurements without improvement before stopping; 0 = never stop
  int eval_every = 1;  // measure after every eval_every-th epoch (>= 1)
};

class EarlyStopping {
 public:
  explicit EarlyStopping(const EarlyStoppingOptions& options) : options_(options) {}

  // Whether the metric should be measured after `epoch` (1-based).
  bool ShouldEvaluate(int epoch) const {
    return options_.eval_every <= 1 || epoch % options_.eval_every == 0;
  }

  // Records the metric measured after `epoch`; returns false when training should stop.
  bool Observe(int epoch, double metric);

  bool stopped() const { return stopped_; }
  int evaluations() const { return evaluations_; }
  int last_epoch() const { return last_epoch_; }  // 0 before the first Observe
  int best_epoch() const { return best_epoch_; }  // 0 until a metric was a number
  double best_metric() const { return best_metric_; }  // NaN until a metric was a number

 private:
  EarlyStoppingOptions options_;
  int evaluations_ = 0;
  int since_best_ = 0;
  int last_epoch_ = 0;
  int best_epoch_ = 0;
  double best_metric_ = std::numeric_limits<double>::quiet_NaN();
  bool stopped_ = false;
};

}  // namespace tailor

#endif  // TAILOR_EVAL_EARLY_STOPPING_H_
