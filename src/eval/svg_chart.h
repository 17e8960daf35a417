// Small inline SVG charts for the HTML report: a line chart (metric@k curves) and a grouped
// bar chart (quality by history length). Output is an <svg> element with text escaped; no
// scripts, no external assets. Pure functions; thread-safe.
#ifndef TAILOR_EVAL_SVG_CHART_H_
#define TAILOR_EVAL_SVG_CHART_H_

#include <string>
#include <vector>

namespace tailor {

// One line or one bar colour; values[i] belongs to the i-th x label (NaN = no point/bar).
struct ChartSeries {
  std::string name;
  std::vector<double> values;
};

struct ChartOptions {
  std::string title;    // drawn above the plot
  std::string x_label;  // under the x axis
  std::string y_label;  // beside the y axis
  int width = 560;      // pixels
  int height = 320;
};

// Lines over x positions x_labels[0..n); the y axis starts at 0 and ends at a round number
// >= the largest value. A legend lists the series.
std::string SvgLineChart(const std::vector<std::string>& x_labels,
                         const std::vector<ChartSeries>& series, const ChartOptions& options);

// One group of bars per x label, one bar per series, value on hover (<title>).
std::string SvgBarChart(const std::vector<std::string>& x_labels,
                        const std::vector<ChartSeries>& series, const ChartOptions& options);

// The colour of the i-th series (cycles through a fixed palette).
std::string SeriesColor(size_t series_idx);

}  // namespace tailor

#endif  // TAILOR_EVAL_SVG_CHART_H_
