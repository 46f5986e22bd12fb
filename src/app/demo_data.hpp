#pragma once

#include <string_view>

namespace reckon::app {

// data/demo/counts.csv, compiled into the binary so `reckon demo` runs anywhere.
std::string_view demo_counts_csv();

} // namespace reckon::app
