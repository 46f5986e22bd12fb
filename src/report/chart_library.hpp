#pragma once

#include <array>
#include <string_view>

namespace reckon::report {

// One JavaScript library compiled into the binary.
struct ChartScript {
  std::string_view package; // its npm name
  std::string_view version; // as package-lock.json pinned it
  std::string_view code;    // the minified build, in the order the page must load it
};

// vega, vega-lite and vega-embed, in load order (each needs the ones before it).
using ChartLibrary = std::array<ChartScript, 3>;

const ChartLibrary& chart_library();

} // namespace reckon::report
