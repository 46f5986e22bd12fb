#pragma once

#include "reckon/model/scenario.hpp"
#include "reckon/util/result.hpp"

#include <string_view>

namespace reckon::parse {

// Reads a scenario file (`reckon.scenario/v1`, documented in the README under "Simulating a
// store") into a validated model::Scenario: required fields present with the right types,
// shares and allocations summing to 1 and 100, exactly one control, dates real and ordered,
// funnel rates decreasing and above the conversion rate, and no visitor whose conversion
// probability reaches 1 once every multiplier applies. Unknown fields are ignored.
//
// Every violation is a bad_input error whose `where` is "file:$.json.path" and whose message
// says what is wrong; malformed JSON is reported against the file alone.
util::Result<model::Scenario> parse_scenario(std::string_view text, std::string_view file_name);

} // namespace reckon::parse
