#include "web/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "util/text.h"

namespace jifen::web {
namespace {

std::string Number(double v, bool percent, double step = 1) {
  char buf[32];
  if (percent) {
    std::snprintf(buf, sizeof buf, step < 0.01 ? "%.1f%%" : "%.0f%%", v * 100);
  } else if (std::fabs(v) >= 100 || v == std::floor(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  }
  return buf;
}

// A "nice" step for about `ticks` gridlines over `span`.
double Step(double span, int ticks) {
  double raw = span / ticks;
  double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

const char* kColours[] = {"#b22222", "#1f5fa8", "#2e7d32", "#8e44ad",
                          "#e67e22", "#555555", "#00838f", "#6d4c41"};
const char* kDashes[] = {"", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "12 2 2 2"};

// Where a chart's points go: its size, margins and value range, rounded to whole steps.
struct Plot {
  static constexpr double kWidth = 360, kHeight = 210, kLeft = 38, kRight = 10, kTop = 26,
                          kBottom = 30;
  double lo = 0, hi = 0, step = 1;
  size_t n = 0;  // labels

  explicit Plot(const LineChart& chart) : n(chart.labels.size()) {
    bool any = false;
    for (const auto& s : chart.series) {
      for (const auto& v : s.values) {
        if (!v) continue;
        lo = any ? std::min(lo, *v) : std::min(0.0, *v);
        hi = any ? std::max(hi, *v) : std::max(0.0, *v);
        any = true;
      }
    }
    if (chart.percent) hi = std::max(hi, 0.0);
    if (hi - lo <= 0) hi = lo + 1;
    step = Step(hi - lo, 4);
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
  }
  double X(size_t i) const {
    return kLeft + (n <= 1 ? 0
                           : (kWidth - kLeft - kRight) * static_cast<double>(i) /
                                 static_cast<double>(n - 1));
  }
  double Y(double v) const { return kTop + (kHeight - kTop - kBottom) * (hi - v) / (hi - lo); }
};

// The title, the value grid and at most about four labels along the bottom.
void DrawFrame(std::ostringstream& svg, const LineChart& chart, const Plot& plot) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << Plot::kWidth << ' '
      << Plot::kHeight << "\" role=\"img\" aria-label=\"" << HtmlEscape(chart.title)
      << "\" class=\"chart\">"
      << "<text x=\"" << Plot::kLeft << "\" y=\"15\" font-size=\"12\" font-weight=\"bold\">"
      << HtmlEscape(chart.title) << "</text>";
  for (double v = plot.lo; v <= plot.hi + plot.step / 2; v += plot.step) {
    svg << "<line x1=\"" << Plot::kLeft << "\" x2=\"" << Plot::kWidth - Plot::kRight << "\" y1=\""
        << plot.Y(v) << "\" y2=\"" << plot.Y(v) << "\" stroke=\"#ddd\"/><text x=\""
        << Plot::kLeft - 4 << "\" y=\"" << plot.Y(v) + 4
        << "\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">"
        << Number(v, chart.percent, plot.step) << "</text>";
  }
  size_t n = plot.n;
  size_t every = std::max<size_t>(1, (n + 3) / 4);
  for (size_t i = 0; i < n; ++i) {
    if (i % every != 0 && i + 1 != n) continue;
    const char* anchor = i == 0 ? "start" : i + 1 == n ? "end" : "middle";
    svg << "<text x=\"" << plot.X(i) << "\" y=\"" << Plot::kHeight - Plot::kBottom + 16
        << "\" font-size=\"10\" text-anchor=\"" << anchor << "\" fill=\"#555\">"
        << HtmlEscape(chart.labels[i]) << "</text>";
  }
}

// Series `s`: a point for each value with its figure as a tooltip, joined where there is one.
void DrawSeries(std::ostringstream& svg, const LineChart& chart, const Plot& plot, size_t s) {
  const ChartSeries& series = chart.series[s];
  const char* colour = kColours[s % std::size(kColours)];
  const char* dash = kDashes[s % std::size(kDashes)];
  std::ostringstream path;
  path.setf(std::ios::fixed);
  path.precision(1);
  bool pen_down = false;
  for (size_t i = 0; i < series.values.size() && i < plot.n; ++i) {
    if (!series.values[i]) {
      pen_down = false;
      continue;
    }
    path << (pen_down ? 'L' : 'M') << plot.X(i) << ' ' << plot.Y(*series.values[i]);
    pen_down = true;
    svg << "<circle cx=\"" << plot.X(i) << "\" cy=\"" << plot.Y(*series.values[i])
        << "\" r=\"2.5\" fill=\"" << colour << "\"><title>" << HtmlEscape(series.name) << ' '
        << HtmlEscape(chart.labels[i]) << ": " << Number(*series.values[i], chart.percent)
        << "</title></circle>";
  }
  svg << "<path d=\"" << path.str() << "\" fill=\"none\" stroke=\"" << colour
      << "\" stroke-width=\"2\"" << (*dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : "")
      << "/>";
}

// The legend as HTML below the chart: names wrap on a narrow phone.
std::string Legend(const LineChart& chart) {
  std::ostringstream legend;
  legend << "<ul class=\"legend\">";
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const char* dash = kDashes[s % std::size(kDashes)];
    legend
        << "<li><svg viewBox=\"0 0 30 10\" width=\"30\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\""
        << kColours[s % std::size(kColours)] << "\" stroke-width=\"2\""
        << (*dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : "") << "/></svg> "
        << HtmlEscape(chart.series[s].name) << "</li>";
  }
  legend << "</ul>";
  return legend.str();
}

}  // namespace

std::string RenderSvg(const LineChart& chart) {
  Plot plot(chart);
  std::ostringstream svg;
  svg.setf(std::ios::fixed);
  svg.precision(1);
  DrawFrame(svg, chart, plot);
  for (size_t s = 0; s < chart.series.size(); ++s) DrawSeries(svg, chart, plot, s);
  svg << "</svg>";
  return "<figure class=\"chart\">" + svg.str() + Legend(chart) + "</figure>";
}

}  // namespace jifen::web
