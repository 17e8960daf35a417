// Evaluation reports: a text table for the terminal, JSON for tools and docs/benchmarks.md,
// and a self-contained HTML page (inline CSS and SVG drawn here, no external assets) with the
// metrics table, recall@k / ndcg@k curves and quality by training-history length.
// All functions are pure (no I/O) except WriteReportFile; thread-safe.
#ifndef TAILOR_EVAL_REPORT_H_
#define TAILOR_EVAL_REPORT_H_

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eval/ranking_evaluator.h"
#include "eval/rating_evaluator.h"
#include "tailor/status.h"

namespace tailor {

struct ReportOptions {
  std::string title = "tailor evaluation";  // HTML <title> and heading
  std::string dataset;                      // e.g. "amazon-beauty (22363 users)"; "" = omitted
  std::string date;                         // "" = today's date (UTC, YYYY-MM-DD)
  std::string command;                      // the command that reproduces it; "" = omitted
};

// Metric columns in display order. compact (terminal): recall@K and ndcg@K for every K, mrr,
// auc, coverage/gini/novelty at the main K; full (HTML): every metric of the results, grouped
// by K. Only metrics present in at least one result are listed.
std::vector<std::string> MetricColumns(std::span<const RankingEvalResult> results, bool compact);

// The K used for single-K summaries (history buckets, compact catalogue columns): 10 when the
// result has it, else its largest K.
int MainK(const RankingEvalResult& result);

// Fixed-width table: the protocol line(s) above, one row per result (model label), metric
// columns with 4 decimals, then users and seconds. Ends with a newline.
std::string FormatResultsTable(std::span<const RankingEvalResult> results);

// One result: {"model", "params", "protocol", "ks", "metrics": {...}, "curves": {"recall":
// [...], "ndcg": [...]}, "history_buckets": [{"label", "min_length", "max_length", "users",
// "metrics"}], "users_evaluated", "users_with_targets", "targets_not_ranked", "num_items",
// "eval_seconds"}.
nlohmann::json ResultToJson(const RankingEvalResult& result);
// {"title", "dataset", "date", "command", "results": [ResultToJson...]}.
nlohmann::json ResultsToJson(std::span<const RankingEvalResult> results,
                             const ReportOptions& options);
// {"rmse", "mae", "count", "eval_seconds"}.
nlohmann::json RatingResultToJson(const RatingEvalResult& result);

// A complete HTML5 document. Text from results and options is escaped.
std::string RenderHtmlReport(std::span<const RankingEvalResult> results,
                             const ReportOptions& options);

// Writes `content` to `path` (temp file + rename, so readers never see half a report).
// Errors: kUnavailable naming the path and the OS reason when it cannot be written.
Status WriteReportFile(const std::string& path, std::string_view content);

}  // namespace tailor

#endif  // TAILOR_EVAL_REPORT_H_
