#include "eval/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "eval/html_escape.h"
#include "eval/svg_chart.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

RankingEvalResult MakeResult(const std::string& model, double scale) {
  RankingEvalResult result;
  result.model = model;
  result.model_params = {{"neighbors", 50}};
  result.protocol = "full ranking over 5 items, seen items kept, 3 users";
  result.ks = {5, 10};
  for (int k : {5, 10}) {
    const std::string at = "@" + std::to_string(k);
    for (const char* metric : {"recall", "ndcg", "hr", "precision", "map"}) {
      result.metrics[metric + at] = scale * k / 100.0;
    }
    result.metrics["coverage" + at] = 0.25;
    result.metrics["gini" + at] = 0.5 * scale;
    result.metrics["novelty" + at] = 7.0;
  }
  result.metrics["mrr"] = 0.1234 * scale;
  result.metrics["auc"] = 0.9;
  result.recall_curve = {0.1 * scale, 0.2 * scale, 0.3 * scale};
  result.ndcg_curve = {0.1 * scale, 0.15 * scale, 0.18 * scale};
  HistoryBucket short_bucket{"1-4", 1, 4, 10, {{"ndcg@10", 0.0625 * scale}, {"recall@10", 0.2}}};
  HistoryBucket long_bucket{"50+", 50, -1, 3, {{"ndcg@10", 0.5 * scale}, {"recall@10", 0.7}}};
  result.buckets = {short_bucket, long_bucket};
  result.users_evaluated = 13;
  result.users_with_targets = 13;
  result.num_items = 5;
  result.eval_seconds = 1.25;
  return result;
}

TEST(HtmlEscapeTest, EscapesMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(HtmlEscape("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(ReportTest, MetricColumnsInDisplayOrder) {
  std::vector<RankingEvalResult> results = {MakeResult("a", 1.0)};
  EXPECT_THAT(MetricColumns(results, /*compact=*/true),
              ElementsAre("recall@5", "ndcg@5", "recall@10", "ndcg@10", "mrr", "auc", "coverage@10",
                          "gini@10", "novelty@10"));
  EXPECT_EQ(MetricColumns(results, /*compact=*/false).size(), 2u * 5 + 2 + 2 * 3);
}

TEST(ReportTest, TextTableHasProtocolModelsAndNumbers) {
  std::vector<RankingEvalResult> results = {MakeResult("item-knn", 1.0),
                                            MakeResult("popularity", 0.5)};
  const std::string table = FormatResultsTable(results);
  EXPECT_THAT(table, HasSubstr("protocol: full ranking over 5 items, seen items kept, 3 users\n"));
  EXPECT_THAT(table, HasSubstr("recall@10"));
  // item-knn: recall@5 = 1.0 * 5 / 100, mrr 0.1234; popularity: mrr 0.0617.
  EXPECT_THAT(table, HasSubstr("item-knn      0.0500"));
  EXPECT_THAT(table, HasSubstr("0.1234"));
  EXPECT_THAT(table, HasSubstr("0.0617"));
  EXPECT_EQ(Count(table, "\n"), 4u);  // protocol, header, two rows
  // Different protocols are listed per model.
  results[1].protocol = "sampled-100: ...";
  EXPECT_THAT(FormatResultsTable(results), HasSubstr("protocol [popularity]: sampled-100"));
}

TEST(ReportTest, JsonHasEveryKey) {
  std::vector<RankingEvalResult> results = {MakeResult("item-knn", 1.0)};
  ReportOptions options;
  options.dataset = "amazon-beauty";
  options.date = "2025-01-02";
  nlohmann::json json = ResultsToJson(results, options);
  EXPECT_EQ(json["dataset"], "amazon-beauty");
  EXPECT_EQ(json["date"], "2025-01-02");
  ASSERT_EQ(json["results"].size(), 1u);
  const nlohmann::json& one = json["results"][0];
  for (const char* key : {"model", "params", "protocol", "ks", "metrics", "curves",
                          "history_buckets", "users_evaluated", "users_with_targets",
                          "targets_not_ranked", "num_items", "eval_seconds"}) {
    EXPECT_TRUE(one.contains(key)) << key;
  }
  EXPECT_DOUBLE_EQ(one["metrics"]["ndcg@10"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(one["metrics"]["mrr"].get<double>(), 0.1234);
  EXPECT_EQ(one["curves"]["recall"].size(), 3u);
  EXPECT_EQ(one["history_buckets"][1]["label"], "50+");
  EXPECT_TRUE(one["history_buckets"][1]["max_length"].is_null());
  EXPECT_EQ(one["params"]["neighbors"], 50);
  nlohmann::json rating = RatingResultToJson({0.95, 0.75, 100, 0.5});
  EXPECT_DOUBLE_EQ(rating["rmse"].get<double>(), 0.95);
  EXPECT_DOUBLE_EQ(rating["mae"].get<double>(), 0.75);
  EXPECT_EQ(rating["count"], 100);
}

TEST(ReportTest, HtmlIsSelfContainedWithChartsAndNumbers) {
  std::vector<RankingEvalResult> results = {MakeResult("item-knn", 1.0),
                                            MakeResult("<script>alert(1)</script>", 0.5)};
  ReportOptions options;
  options.title = "Beauty & friends";
  options.dataset = "amazon-beauty";
  options.date = "2025-01-02";
  options.command = "tailor benchmark --models a,b";
  const std::string html = RenderHtmlReport(results, options);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>Beauty &amp; friends</title>"));
  EXPECT_THAT(html, HasSubstr("amazon-beauty"));
  EXPECT_THAT(html, HasSubstr("2025-01-02"));
  EXPECT_THAT(html, HasSubstr("Protocol: full ranking over 5 items, seen items kept"));
  // Two curve charts and two bucket charts, each closed.
  EXPECT_EQ(Count(html, "<svg "), 4u);
  EXPECT_EQ(Count(html, "</svg>"), 4u);
  EXPECT_EQ(Count(html, "<polyline "), 4u);  // 2 charts x 2 models
  EXPECT_THAT(html, HasSubstr("<rect "));
  EXPECT_EQ(Count(html, "<table>"), Count(html, "</table>"));
  EXPECT_EQ(Count(html, "<tr>"), Count(html, "</tr>"));
  // Numbers: metrics table, point tooltips, bucket bars.
  EXPECT_THAT(html, HasSubstr("<td><b>0.1234</b></td>"));  // mrr, best of the two
  EXPECT_THAT(html, HasSubstr("<td>0.0617</td>"));
  EXPECT_THAT(html, HasSubstr("item-knn 3: 0.3000"));    // recall@3 point
  EXPECT_THAT(html, HasSubstr("item-knn 50+: 0.5000"));  // ndcg@10 bar for 50+
  EXPECT_THAT(html, HasSubstr("NDCG@10 by history length"));
  // Best value per column is bold (item-knn's recall@10 0.1000 beats 0.0500).
  EXPECT_THAT(html, HasSubstr("<td><b>0.1000</b></td>"));
  // Text from results is escaped, never raw markup; no scripts or external assets.
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(SvgChartTest, LineChartScalesToARoundMaximum) {
  // max 0.37 -> axis top 0.5 (1, 2, 2.5, 5 x 10^-1): a value of 0.25 sits half way up.
  ChartOptions options{"t", "k", "v", 400, 260};
  const std::string svg = SvgLineChart({"1", "2"}, {{"m", {0.25, 0.37}}}, options);
  // plot: top 34, height 260 - 34 - 46 = 180 -> y(0.25) = 34 + 90 = 124, y(0.5) = 34.
  EXPECT_THAT(svg, HasSubstr("<text x=\"54.0\" y=\"38.0\" text-anchor=\"end\">0.5</text>"));
  EXPECT_THAT(svg, HasSubstr(",124.0 "));
  EXPECT_THAT(svg, HasSubstr("m 2: 0.3700"));
}

TEST(ReportTest, WriteReportFileWritesAndNamesTheBadPath) {
  const std::string dir = std::string(TAILOR_BINARY_DIR) + "/eval_report_test";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/report.html";
  ASSERT_TRUE(WriteReportFile(path, "<p>hi</p>").ok());
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "<p>hi</p>");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  Status bad = WriteReportFile(dir + "/missing/dir/report.html", "x");
  EXPECT_EQ(bad.code(), StatusCode::kUnavailable);
  EXPECT_THAT(bad.message(), HasSubstr("missing/dir/report.html"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tailor
