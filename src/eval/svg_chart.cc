#include "eval/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "eval/html_escape.h"

namespace tailor {
namespace {

constexpr double kLeft = 60, kRight = 150, kTop = 34, kBottom = 46;
constexpr int kYTicks = 5;

// Smallest of 1, 2, 2.5, 5, 10 x 10^n that is >= value (1 when value <= 0).
double NiceCeil(double value) {
  if (!(value > 0)) return 1.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (step * magnitude >= value * (1 - 1e-12)) return step * magnitude;
  }
  return 10.0 * magnitude;
}

std::string Num(double value, const char* format = "%.1f") {
  char buf[48];
  std::snprintf(buf, sizeof(buf), format, value);
  return buf;
}

double MaxValue(const std::vector<ChartSeries>& series) {
  double max_value = 0.0;
  for (const auto& line : series) {
    for (double value : line.values) {
      if (std::isfinite(value)) max_value = std::max(max_value, value);
    }
  }
  return max_value;
}

struct Frame {
  double width, height, plot_width, plot_height, y_max;
  double Y(double value) const { return kTop + plot_height * (1.0 - value / y_max); }
};

// Opens the <svg>, draws the title, y grid with tick labels, axes and axis titles.
std::string OpenFrame(const Frame& frame, const ChartOptions& options) {
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    Num(frame.width, "%.0f") + "\" height=\"" + Num(frame.height, "%.0f") +
                    "\" viewBox=\"0 0 " + Num(frame.width, "%.0f") + " " +
                    Num(frame.height, "%.0f") +
                    "\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n";
  svg += "<title>" + HtmlEscape(options.title) + "</title>\n";
  svg += "<text x=\"" + Num(kLeft) + "\" y=\"18\" font-size=\"13\" font-weight=\"bold\">" +
         HtmlEscape(options.title) + "</text>\n";
  for (int tick = 0; tick <= kYTicks; ++tick) {
    const double value = frame.y_max * tick / kYTicks;
    const double y = frame.Y(value);
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y) + "\" x2=\"" +
           Num(kLeft + frame.plot_width) + "\" y2=\"" + Num(y) + "\" stroke=\"#e3e3e3\"/>\n";
    svg += "<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" +
           Num(value, "%.3g") + "</text>\n";
  }
  svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop) + "\" x2=\"" + Num(kLeft) +
         "\" y2=\"" + Num(kTop + frame.plot_height) + "\" stroke=\"#444\"/>\n";
  svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop + frame.plot_height) + "\" x2=\"" +
         Num(kLeft + frame.plot_width) + "\" y2=\"" + Num(kTop + frame.plot_height) +
         "\" stroke=\"#444\"/>\n";
  svg += "<text x=\"" + Num(kLeft + frame.plot_width / 2) + "\" y=\"" + Num(frame.height - 6) +
         "\" text-anchor=\"middle\">" + HtmlEscape(options.x_label) + "</text>\n";
  svg += "<text x=\"14\" y=\"" + Num(kTop + frame.plot_height / 2) +
         "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
         Num(kTop + frame.plot_height / 2) + ")\">" + HtmlEscape(options.y_label) + "</text>\n";
  return svg;
}

std::string Legend(const Frame& frame, const std::vector<ChartSeries>& series) {
  std::string svg;
  const double x = kLeft + frame.plot_width + 12;
  for (size_t series_idx = 0; series_idx < series.size(); ++series_idx) {
    const double y = kTop + 4 + 18.0 * static_cast<double>(series_idx);
    svg += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"12\" height=\"12\" fill=\"" +
           SeriesColor(series_idx) + "\"/>\n";
    svg += "<text x=\"" + Num(x + 17) + "\" y=\"" + Num(y + 10) + "\">" +
           HtmlEscape(series[series_idx].name) + "</text>\n";
  }
  return svg;
}

Frame MakeFrame(const std::vector<ChartSeries>& series, const ChartOptions& options) {
  Frame frame;
  frame.width = std::max(options.width, 300);
  frame.height = std::max(options.height, 200);
  frame.plot_width = frame.width - kLeft - kRight;
  frame.plot_height = frame.height - kTop - kBottom;
  frame.y_max = NiceCeil(MaxValue(series));
  return frame;
}

}  // namespace

std::string SeriesColor(size_t series_idx) {
  static const char* const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kPalette[series_idx % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

std::string SvgLineChart(const std::vector<std::string>& x_labels,
                         const std::vector<ChartSeries>& series, const ChartOptions& options) {
  const Frame frame = MakeFrame(series, options);
  std::string svg = OpenFrame(frame, options);
  const size_t num_points = x_labels.size();
  auto x_of = [&](size_t point_idx) {
    if (num_points <= 1) return kLeft + frame.plot_width / 2;
    return kLeft +
           frame.plot_width * static_cast<double>(point_idx) / static_cast<double>(num_points - 1);
  };
  const size_t label_step = std::max<size_t>(1, (num_points + 19) / 20);
  for (size_t point_idx = 0; point_idx < num_points; point_idx += label_step) {
    svg += "<text x=\"" + Num(x_of(point_idx)) + "\" y=\"" + Num(kTop + frame.plot_height + 15) +
           "\" text-anchor=\"middle\">" + HtmlEscape(x_labels[point_idx]) + "</text>\n";
  }
  for (size_t series_idx = 0; series_idx < series.size(); ++series_idx) {
    const ChartSeries& line = series[series_idx];
    const std::string color = SeriesColor(series_idx);
    std::string points, markers;
    for (size_t point_idx = 0; point_idx < std::min(num_points, line.values.size()); ++point_idx) {
      const double value = line.values[point_idx];
      if (!std::isfinite(value)) continue;
      const std::string x = Num(x_of(point_idx)), y = Num(frame.Y(value));
      points += (points.empty() ? "" : " ") + x + "," + y;
      markers += "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"2.5\" fill=\"" + color +
                 "\"><title>" + HtmlEscape(line.name) + " " + HtmlEscape(x_labels[point_idx]) +
                 ": " + Num(value, "%.4f") + "</title></circle>\n";
    }
    svg += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" points=\"" +
           points + "\"/>\n" + markers;
  }
  svg += Legend(frame, series);
  svg += "</svg>\n";
  return svg;
}

std::string SvgBarChart(const std::vector<std::string>& x_labels,
                        const std::vector<ChartSeries>& series, const ChartOptions& options) {
  const Frame frame = MakeFrame(series, options);
  std::string svg = OpenFrame(frame, options);
  const size_t num_groups = std::max<size_t>(1, x_labels.size());
  const double group_width = frame.plot_width / static_cast<double>(num_groups);
  const double bar_width =
      group_width * 0.8 / static_cast<double>(std::max<size_t>(1, series.size()));
  for (size_t group_idx = 0; group_idx < x_labels.size(); ++group_idx) {
    const double group_left = kLeft + group_width * static_cast<double>(group_idx);
    svg += "<text x=\"" + Num(group_left + group_width / 2) + "\" y=\"" +
           Num(kTop + frame.plot_height + 15) + "\" text-anchor=\"middle\">" +
           HtmlEscape(x_labels[group_idx]) + "</text>\n";
    for (size_t series_idx = 0; series_idx < series.size(); ++series_idx) {
      const auto& values = series[series_idx].values;
      if (group_idx >= values.size() || !std::isfinite(values[group_idx])) continue;
      const double value = std::max(0.0, values[group_idx]);
      const double x = group_left + group_width * 0.1 + bar_width * static_cast<double>(series_idx);
      const double y = frame.Y(value);
      svg += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(bar_width) +
             "\" height=\"" + Num(kTop + frame.plot_height - y) + "\" fill=\"" +
             SeriesColor(series_idx) + "\"><title>" + HtmlEscape(series[series_idx].name) + " " +
             HtmlEscape(x_labels[group_idx]) + ": " + Num(value, "%.4f") + "</title></rect>\n";
    }
  }
  svg += Legend(frame, series);
  svg += "</svg>\n";
  return svg;
}

}  // namespace tailor
