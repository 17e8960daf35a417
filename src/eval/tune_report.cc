#include "eval/tune_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tailor {
namespace {

constexpr size_t kMinColumn = 8;

std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}
std::string PadRight(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

size_t ColumnWidth(const std::string& header) { return std::max(kMinColumn, header.size()); }

std::string FormatValue(const ParamRange& range, double value) {
  if (range.integer) return std::to_string(static_cast<long long>(std::llround(value)));
  return nlohmann::json(value).dump();  // shortest text that reads back the same
}

std::string Printf(const char* format, double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), format, value);
  return buf;
}

}  // namespace

std::string FormatTrialHeader(const std::vector<ParamRange>& space,
                              const TrialTableOptions& options) {
  std::string line = "  " + PadLeft("trial", 5) + "  " + PadRight("origin", 7);
  for (const ParamRange& range : space) line += "  " + PadLeft(range.name, ColumnWidth(range.name));
  line += "  " + PadLeft(options.metric, ColumnWidth(options.metric));
  if (options.show_epochs) line += "  " + PadLeft("epochs", kMinColumn);
  line += "  " + PadLeft("seconds", kMinColumn);
  return line + "\n";
}

std::string FormatTrialRow(const std::vector<ParamRange>& space, const TunerTrial& trial,
                           bool is_best, const TrialTableOptions& options) {
  std::string line = (is_best ? "* " : "  ") + PadLeft(std::to_string(trial.number), 5) + "  " +
                     PadRight(TrialOriginName(trial.origin), 7);
  for (size_t dim = 0; dim < space.size(); ++dim) {
    const std::string text = dim < trial.values.size() ? FormatValue(space[dim], trial.values[dim]) : "-";
    line += "  " + PadLeft(text, ColumnWidth(space[dim].name));
  }
  line += "  " + PadLeft(trial.ok() ? Printf("%.4f", trial.metric) : "failed",
                         ColumnWidth(options.metric));
  if (options.show_epochs) {
    std::string epochs = "-";
    if (trial.epochs_run > 0) {
      epochs = std::to_string(trial.best_epoch) + "/" + std::to_string(trial.epochs_run) +
               (trial.stopped_early ? "+" : "");
    }
    line += "  " + PadLeft(epochs, kMinColumn);
  }
  line += "  " + PadLeft(Printf("%.1f", trial.seconds), kMinColumn);
  if (!trial.note.empty()) line += "  " + trial.note;
  return line + "\n";
}

std::string FormatTrialsTable(const Tuner& tuner, const TrialTableOptions& options) {
  std::string out = FormatTrialHeader(tuner.space(), options);
  const TunerTrial* best = tuner.best();
  for (const TunerTrial& trial : tuner.trials()) {
    out += FormatTrialRow(tuner.space(), trial, &trial == best, options);
  }
  return out;
}

nlohmann::json TrialsToJson(const Tuner& tuner) {
  nlohmann::json space = nlohmann::json::array();
  for (const ParamRange& range : tuner.space()) {
    space.push_back({{"name", range.name},
                     {"min", range.min},
                     {"max", range.max},
                     {"log", range.log},
                     {"integer", range.integer}});
  }
  nlohmann::json trials = nlohmann::json::array();
  for (const TunerTrial& trial : tuner.trials()) {
    nlohmann::json row;
    row["trial"] = trial.number;
    row["origin"] = TrialOriginName(trial.origin);
    row["values"] = tuner.ValuesToJson(trial.values);
    row["params"] = trial.params;
    row["metric"] = trial.ok() ? nlohmann::json(trial.metric) : nlohmann::json(nullptr);
    row["seconds"] = trial.seconds;
    row["best_epoch"] = trial.best_epoch;
    row["epochs_run"] = trial.epochs_run;
    row["stopped_early"] = trial.stopped_early;
    row["note"] = trial.note;
    trials.push_back(std::move(row));
  }
  nlohmann::json out;
  out["space"] = std::move(space);
  out["trials"] = std::move(trials);
  out["best_trial"] = tuner.best() ? nlohmann::json(tuner.best()->number) : nlohmann::json(nullptr);
  out["stop_reason"] = tuner.StopReason();
  return out;
}

}  // namespace tailor
