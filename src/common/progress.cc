#include "common/progress.h"

#include <cstdio>

#include <unistd.h>

namespace tailor {

std::string FormatDuration(double seconds) {
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof(buf), "%.1fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buf, sizeof(buf), "%dm%02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%dh%02dm", static_cast<int>(seconds) / 3600,
                  (static_cast<int>(seconds) / 60) % 60);
  }
  return buf;
}

ConsoleProgress::ConsoleProgress(double min_interval_seconds)
    : min_interval_(min_interval_seconds), tty_(::isatty(2) != 0) {}

void ConsoleProgress::Update(const ProgressUpdate& u) {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = Clock::now();
  // A new stage, or the same stage run again (its count starts over at 0 or 1: the next
  // fold's fine-tuning), starts its clock anew, or the ETA would count the earlier runs' time.
  // Updates from parallel workers may arrive a little out of order; they do not restart it.
  if (u.stage != stage_ || (u.done < last_done_ && u.done <= 1)) {
    stage_ = u.stage;
    stage_start_ = now;
    last_print_ = Clock::time_point();
  }
  last_done_ = u.done;
  bool last = u.total > 0 && u.done >= u.total;
  double since_print = std::chrono::duration<double>(now - last_print_).count();
  if (!last && since_print < min_interval_) return;
  last_print_ = now;
  double elapsed = std::chrono::duration<double>(now - stage_start_).count();
  std::string line = stage_;
  char buf[160];
  if (u.total > 0) {
    double frac = static_cast<double>(u.done) / static_cast<double>(u.total);
    int filled = static_cast<int>(frac * 20);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(20, '.');
    double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    std::snprintf(buf, sizeof(buf), " [%s] %5.1f%% %lld/%lld  %s elapsed, ETA %s", bar.c_str(),
                  frac * 100, static_cast<long long>(u.done), static_cast<long long>(u.total),
                  FormatDuration(elapsed).c_str(), FormatDuration(eta).c_str());
  } else {
    std::snprintf(buf, sizeof(buf), " %lld  %s elapsed", static_cast<long long>(u.done),
                  FormatDuration(elapsed).c_str());
  }
  line += buf;
  if (!u.detail.empty()) line += "  " + u.detail;
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K%s", line.c_str(), last ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void ConsoleProgress::Finish(const std::string& stage) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stage == stage_ && tty_) std::fprintf(stderr, "\n");
  stage_.clear();
}

}  // namespace tailor
