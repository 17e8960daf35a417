#include "eval/report.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>

#include "eval/html_escape.h"
#include "eval/svg_chart.h"

namespace tailor {
namespace {

std::string Fixed(double value, int decimals = 4) {
  if (!std::isfinite(value)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, value);
  return buf;
}

const double* FindMetric(const RankingEvalResult& result, const std::string& name) {
  auto it = result.metrics.find(name);
  return it == result.metrics.end() ? nullptr : &it->second;
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &utc);
  return buf;
}

std::vector<std::string> DistinctProtocols(std::span<const RankingEvalResult> results) {
  std::vector<std::string> protocols;
  for (const auto& result : results) {
    if (std::find(protocols.begin(), protocols.end(), result.protocol) == protocols.end()) {
      protocols.push_back(result.protocol);
    }
  }
  return protocols;
}

std::string PadRight(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}
std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

// Lower is better only for the Gini index (concentration of recommendations).
bool LowerIsBetter(const std::string& column) { return column.rfind("gini@", 0) == 0; }

std::string HtmlMetricsTable(std::span<const RankingEvalResult> results) {
  const std::vector<std::string> columns = MetricColumns(results, /*compact=*/false);
  std::string html = "<div class=\"scroll\"><table>\n<thead><tr><th>model</th>";
  for (const auto& column : columns) html += "<th>" + HtmlEscape(column) + "</th>";
  html += "<th>users</th><th>seconds</th></tr></thead>\n<tbody>\n";
  std::vector<double> best(columns.size(), NAN);
  for (size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
    for (const auto& result : results) {
      const double* value = FindMetric(result, columns[col_idx]);
      if (value == nullptr || !std::isfinite(*value)) continue;
      double& current = best[col_idx];
      if (std::isnan(current) ||
          (LowerIsBetter(columns[col_idx]) ? *value < current : *value > current)) {
        current = *value;
      }
    }
  }
  for (const auto& result : results) {
    html += "<tr><td>" + HtmlEscape(result.model) + "</td>";
    for (size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
      const double* value = FindMetric(result, columns[col_idx]);
      const std::string text = value ? Fixed(*value) : "-";
      const bool is_best = value && results.size() > 1 && *value == best[col_idx];
      html += is_best ? "<td><b>" + text + "</b></td>" : "<td>" + text + "</td>";
    }
    html += "<td>" + std::to_string(result.users_evaluated) + "</td><td>" +
            Fixed(result.eval_seconds, 1) + "</td></tr>\n";
  }
  html += "</tbody></table></div>\n";
  return html;
}

std::string HtmlCurves(std::span<const RankingEvalResult> results) {
  size_t max_k = 0;
  for (const auto& result : results) {
    max_k = std::max({max_k, result.recall_curve.size(), result.ndcg_curve.size()});
  }
  if (max_k == 0) return "<p>No curves recorded (curve_max_k = 0).</p>\n";
  std::vector<std::string> x_labels;
  for (size_t k = 1; k <= max_k; ++k) x_labels.push_back(std::to_string(k));
  std::vector<ChartSeries> recall, ndcg;
  for (const auto& result : results) {
    ChartSeries recall_line{result.model, result.recall_curve};
    ChartSeries ndcg_line{result.model, result.ndcg_curve};
    recall_line.values.resize(max_k, NAN);
    ndcg_line.values.resize(max_k, NAN);
    recall.push_back(std::move(recall_line));
    ndcg.push_back(std::move(ndcg_line));
  }
  std::string html = "<div class=\"charts\">\n";
  html += SvgLineChart(x_labels, recall, {"Recall@k", "k", "recall@k"});
  html += SvgLineChart(x_labels, ndcg, {"NDCG@k", "k", "ndcg@k"});
  html += "</div>\n";
  return html;
}

std::string HtmlBuckets(std::span<const RankingEvalResult> results) {
  // Union of the buckets over results, by lower bound.
  std::vector<std::pair<int32_t, std::string>> groups;
  std::vector<int64_t> group_users;
  for (const auto& result : results) {
    for (const auto& bucket : result.buckets) {
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const auto& group) { return group.second == bucket.label; });
      if (it == groups.end()) {
        groups.emplace_back(bucket.min_length, bucket.label);
        group_users.push_back(bucket.users);
      }
    }
  }
  if (groups.empty()) return "<p>No users evaluated.</p>\n";
  std::vector<size_t> order(groups.size());
  for (size_t group_idx = 0; group_idx < order.size(); ++group_idx) order[group_idx] = group_idx;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return groups[a].first < groups[b].first; });
  std::vector<std::string> labels;
  for (size_t group_idx : order) labels.push_back(groups[group_idx].second);

  const int main_k = results.empty() ? 10 : MainK(results.front());
  const std::string ndcg_name = "ndcg@" + std::to_string(main_k);
  const std::string recall_name = "recall@" + std::to_string(main_k);
  auto series_for = [&](const std::string& metric) {
    std::vector<ChartSeries> series;
    for (const auto& result : results) {
      ChartSeries bars{result.model, std::vector<double>(labels.size(), NAN)};
      for (size_t label_idx = 0; label_idx < labels.size(); ++label_idx) {
        for (const auto& bucket : result.buckets) {
          if (bucket.label != labels[label_idx]) continue;
          auto it = bucket.metrics.find(metric);
          if (it != bucket.metrics.end()) bars.values[label_idx] = it->second;
        }
      }
      series.push_back(std::move(bars));
    }
    return series;
  };
  std::string html = "<div class=\"charts\">\n";
  html += SvgBarChart(labels, series_for(ndcg_name),
                      {"NDCG@" + std::to_string(main_k) + " by history length",
                       "training history length", ndcg_name});
  html += SvgBarChart(labels, series_for(recall_name),
                      {"Recall@" + std::to_string(main_k) + " by history length",
                       "training history length", recall_name});
  html += "</div>\n<table>\n<thead><tr><th>history length</th><th>users</th>";
  for (const auto& result : results) {
    html += "<th>" + HtmlEscape(result.model) + " " + HtmlEscape(ndcg_name) + "</th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  const std::vector<ChartSeries> ndcg_series = series_for(ndcg_name);
  for (size_t label_idx = 0; label_idx < labels.size(); ++label_idx) {
    html += "<tr><td>" + HtmlEscape(labels[label_idx]) + "</td><td>" +
            std::to_string(group_users[order[label_idx]]) + "</td>";
    for (const auto& series : ndcg_series)
      html += "<td>" + Fixed(series.values[label_idx]) + "</td>";
    html += "</tr>\n";
  }
  html += "</tbody></table>\n";
  return html;
}

constexpr const char* kStyle = R"(body{font-family:system-ui,sans-serif;margin:2em;color:#222}
body{max-width:1200px}h1{margin-bottom:.2em}.meta{color:#555}
.protocol{background:#f4f6f8;padding:.5em .8em;border-left:4px solid #1f77b4}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
td{font-variant-numeric:tabular-nums}th{background:#f0f0f0}
th:first-child,td:first-child{text-align:left}.scroll{overflow-x:auto}
.charts{display:flex;flex-wrap:wrap;gap:1.5em}pre{background:#f7f7f7;padding:.5em}
)";

}  // namespace

int MainK(const RankingEvalResult& result) {
  if (std::find(result.ks.begin(), result.ks.end(), 10) != result.ks.end()) return 10;
  if (result.ks.empty()) return 10;
  return *std::max_element(result.ks.begin(), result.ks.end());
}

std::vector<std::string> MetricColumns(std::span<const RankingEvalResult> results, bool compact) {
  std::set<int> ks;
  bool any_ten = false;
  for (const auto& result : results) {
    ks.insert(result.ks.begin(), result.ks.end());
    any_ten = any_ten || MainK(result) == 10;
  }
  std::vector<std::string> candidates;
  const std::vector<std::string> per_k =
      compact ? std::vector<std::string>{"recall", "ndcg"}
              : std::vector<std::string>{"recall", "ndcg", "hr", "precision", "map"};
  for (int k : ks) {
    for (const auto& metric : per_k) candidates.push_back(metric + "@" + std::to_string(k));
  }
  candidates.push_back("mrr");
  candidates.push_back("auc");
  std::vector<int> catalogue_ks(ks.begin(), ks.end());
  if (compact && !ks.empty()) catalogue_ks = {any_ten ? 10 : *ks.rbegin()};
  for (int k : catalogue_ks) {
    for (const char* metric : {"coverage", "gini", "novelty"}) {
      candidates.push_back(std::string(metric) + "@" + std::to_string(k));
    }
  }
  std::vector<std::string> columns;
  for (const auto& name : candidates) {
    const bool present = std::any_of(results.begin(), results.end(), [&](const auto& result) {
      return result.metrics.count(name) > 0;
    });
    if (present) columns.push_back(name);
  }
  return columns;
}

std::string FormatResultsTable(std::span<const RankingEvalResult> results) {
  std::string out;
  const std::vector<std::string> protocols = DistinctProtocols(results);
  if (protocols.size() == 1) {
    out += "protocol: " + protocols.front() + "\n";
  } else {
    for (const auto& result : results)
      out += "protocol [" + result.model + "]: " + result.protocol + "\n";
  }
  const std::vector<std::string> columns = MetricColumns(results, /*compact=*/true);
  size_t model_width = 5;
  for (const auto& result : results) model_width = std::max(model_width, result.model.size());
  std::vector<size_t> widths;
  out += PadRight("model", model_width);
  for (const auto& column : columns) {
    widths.push_back(std::max<size_t>(column.size(), 6));
    out += "  " + PadLeft(column, widths.back());
  }
  out += "  " + PadLeft("users", 7) + "  " + PadLeft("seconds", 7) + "\n";
  for (const auto& result : results) {
    out += PadRight(result.model, model_width);
    for (size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
      const double* value = FindMetric(result, columns[col_idx]);
      out += "  " + PadLeft(value ? Fixed(*value) : "-", widths[col_idx]);
    }
    out += "  " + PadLeft(std::to_string(result.users_evaluated), 7) + "  " +
           PadLeft(Fixed(result.eval_seconds, 1), 7) + "\n";
  }
  return out;
}

nlohmann::json ResultToJson(const RankingEvalResult& result) {
  nlohmann::json buckets = nlohmann::json::array();
  for (const auto& bucket : result.buckets) {
    buckets.push_back({{"label", bucket.label},
                       {"min_length", bucket.min_length},
                       {"max_length", bucket.max_length < 0 ? nlohmann::json(nullptr)
                                                            : nlohmann::json(bucket.max_length)},
                       {"users", bucket.users},
                       {"metrics", bucket.metrics}});
  }
  return {{"model", result.model},
          {"params", result.model_params},
          {"protocol", result.protocol},
          {"ks", result.ks},
          {"metrics", result.metrics},
          {"curves", {{"recall", result.recall_curve}, {"ndcg", result.ndcg_curve}}},
          {"history_buckets", std::move(buckets)},
          {"users_evaluated", result.users_evaluated},
          {"users_with_targets", result.users_with_targets},
          {"targets_not_ranked", result.targets_not_ranked},
          {"num_items", result.num_items},
          {"eval_seconds", result.eval_seconds}};
}

nlohmann::json ResultsToJson(std::span<const RankingEvalResult> results,
                             const ReportOptions& options) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& result : results) list.push_back(ResultToJson(result));
  return {{"title", options.title},
          {"dataset", options.dataset},
          {"date", options.date.empty() ? Today() : options.date},
          {"command", options.command},
          {"results", std::move(list)}};
}

nlohmann::json RatingResultToJson(const RatingEvalResult& result) {
  return {{"rmse", result.rmse},
          {"mae", result.mae},
          {"count", result.count},
          {"eval_seconds", result.eval_seconds}};
}

std::string RenderHtmlReport(std::span<const RankingEvalResult> results,
                             const ReportOptions& options) {
  const std::string title = HtmlEscape(options.title);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + title + "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>" + title + "</h1>\n<p class=\"meta\">";
  if (!options.dataset.empty())
    html += "Dataset: <b>" + HtmlEscape(options.dataset) + "</b> &middot; ";
  html += "Date: " + HtmlEscape(options.date.empty() ? Today() : options.date) + " &middot; " +
          std::to_string(results.size()) + " model(s)</p>\n";
  for (const auto& result : results) {
    if (DistinctProtocols(results).size() == 1) {
      html += "<p class=\"protocol\">Protocol: " + HtmlEscape(result.protocol) + "</p>\n";
      break;
    }
    html += "<p class=\"protocol\">Protocol (" + HtmlEscape(result.model) +
            "): " + HtmlEscape(result.protocol) + "</p>\n";
  }
  if (!options.command.empty()) {
    html += "<p>Reproduce: <code>" + HtmlEscape(options.command) + "</code></p>\n";
  }
  html += "<h2>Metrics</h2>\n" + HtmlMetricsTable(results);
  html += "<h2>Recall@k and NDCG@k</h2>\n" + HtmlCurves(results);
  html += "<h2>Quality by training-history length</h2>\n" + HtmlBuckets(results);
  html += "<h2>Models</h2>\n";
  for (const auto& result : results) {
    html += "<details><summary>" + HtmlEscape(result.model) + "</summary><pre>" +
            HtmlEscape(
                result.model_params.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) +
            "</pre></details>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

Status WriteReportFile(const std::string& path, std::string_view content) {
  const std::string temp_path = path + ".tmp";
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    if (!out) {
      return UnavailableError("cannot write report '" + path + "': " + std::strerror(errno));
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::remove(temp_path.c_str());
      return UnavailableError("cannot write report '" + path + "': write failed");
    }
  }
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temp_path.c_str());
    return UnavailableError("cannot write report '" + path + "': " + reason);
  }
  return OkStatus();
}

}  // namespace tailor
