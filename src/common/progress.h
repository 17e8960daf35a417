// Progress reporting for long jobs: a callback type that stages report into, and a console
// reporter that prints a bar with rate and ETA to stderr (one line per update when stderr is
// not a terminal, throttled to one line every `min_interval` seconds).
#ifndef TAILOR_COMMON_PROGRESS_H_
#define TAILOR_COMMON_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace tailor {

struct ProgressUpdate {
  std::string stage;     // "import events", "item-knn similarities", "epoch 3/20"
  int64_t done = 0;
  int64_t total = 0;     // 0 when unknown
  std::string detail;    // e.g. "loss 0.412 ndcg@10 0.051"
};
using ProgressFn = std::function<void(const ProgressUpdate&)>;

// Prints updates; thread-safe. Finish() ends the current stage with its elapsed time.
class ConsoleProgress {
 public:
  explicit ConsoleProgress(double min_interval_seconds = 0.5);
  void Update(const ProgressUpdate& update);
  void Finish(const std::string& stage);
  ProgressFn AsFn() {
    return [this](const ProgressUpdate& u) { Update(u); };
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::mutex mu_;
  double min_interval_;
  bool tty_;
  std::string stage_;
  int64_t last_done_ = 0;  // the stage's last count
  Clock::time_point stage_start_;
  Clock::time_point last_print_;
};

// Formats seconds as "1h02m", "3m05s" or "4.2s".
std::string FormatDuration(double seconds);

}  // namespace tailor

#endif  // TAILOR_COMMON_PROGRESS_H_
