#include "eval/early_stopping.h"

#include <cmath>

namespace tailor {

bool EarlyStopping::Observe(int epoch, double metric) {
  ++evaluations_;
  last_epoch_ = epoch;
  if (!std::isnan(metric) && (best_epoch_ == 0 || metric > best_metric_)) {
    best_metric_ = metric;
    best_epoch_ = epoch;
    since_best_ = 0;
  } else {
    ++since_best_;
  }
  if (options_.patience > 0 && since_best_ >= options_.patience) stopped_ = true;
  return !stopped_;
}

}  // namespace tailor
