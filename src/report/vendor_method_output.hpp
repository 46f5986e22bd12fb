#pragma once

#include "reckon/analysis/check.hpp"
#include "reckon/util/json_writer.hpp"

#include <string>

namespace reckon::report::detail {

// For `check`'s text: per identified source, the method, how many figures it reproduces, each
// aspect's best candidates against the rest, and the experiments not checked; empty when no
// source needed identifying.
std::string describe_vendor_methods(const analysis::CheckReport& report);

// The same as JSON: "vendor_methods": [{source, method, reproduced, figures, aspects, ...}],
// absent when no source needed identifying.
void write_vendor_methods(util::JsonWriter& json, const analysis::CheckReport& report);

} // namespace reckon::report::detail
