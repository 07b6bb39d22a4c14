// Line charts drawn on the server as SVG (no script, no network): the township's months side by
// side. Each series has a colour and a dash pattern of its own and is named in a legend, so the
// chart reads in black and white and for colour-blind eyes too.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace jifen::web {

struct ChartSeries {
  std::string name;
  std::vector<std::optional<double>> values;  // one per label; nullopt: no figure that month
};

struct LineChart {
  std::string title;
  std::vector<std::string> labels;  // the x axis, e.g. "2022-01"
  std::vector<ChartSeries> series;
  bool percent = false;  // values are shares 0..1, shown as percentages
};

// The chart as an <svg> element (text escaped), sized to its container's width.
std::string RenderSvg(const LineChart& chart);

}  // namespace jifen::web
