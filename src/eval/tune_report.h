// The trial table and JSON of `tailor tune`. The table has fixed column widths so rows can be
// printed one by one as trials finish and still line up with the final table:
//
//     trial  origin   neighbors   shrink   ndcg@10  seconds
//         1  default        100       10    0.0412      3.2
//   *     2  random         517     87.3    0.0431      4.1
//
// "*" marks the best trial. Failed trials show "failed"; a trial's note (its error, or a
// remark) ends its row.
// All functions are pure; thread-safe.
#ifndef TAILOR_EVAL_TUNE_REPORT_H_
#define TAILOR_EVAL_TUNE_REPORT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/tuner.h"

namespace tailor {

struct TrialTableOptions {
  std::string metric = "ndcg@10";  // the metric column's header
  bool show_epochs = false;        // an "epochs" column: best/run, "+" when stopped early
};

// The header line (ends with a newline).
std::string FormatTrialHeader(const std::vector<ParamRange>& space,
                              const TrialTableOptions& options);
// One row (ends with a newline); `is_best` adds the "*" marker.
std::string FormatTrialRow(const std::vector<ParamRange>& space, const TunerTrial& trial,
                           bool is_best, const TrialTableOptions& options);
// Header plus every trial, the tuner's best one marked.
std::string FormatTrialsTable(const Tuner& tuner, const TrialTableOptions& options);

// {"space": [{"name", "min", "max", "log", "integer"}], "trials": [{"trial", "origin",
// "values": {...}, "params": {...}, "metric" (null when failed), "seconds", "best_epoch",
// "epochs_run", "stopped_early", "note"}], "best_trial" (null when none succeeded),
// "stop_reason"}.
nlohmann::json TrialsToJson(const Tuner& tuner);

}  // namespace tailor

#endif  // TAILOR_EVAL_TUNE_REPORT_H_
