#pragma once

#include <cstddef>
#include <string>

namespace reckon::bench {

// A `reckon simulate` scenario (reckon.scenario/v1) of a large Intelligems account: the demo
// store's traffic and six audience dimensions, `experiences` experiences each running the whole
// window of `days` days up to 2026-09-28, with a mix of stories (null, winners, losers, a
// three-arm price ladder, a Mobile-only winner) and 1,500 to 4,000 visitors a weekday.
std::string scale_scenario(std::size_t experiences, int days);

} // namespace reckon::bench
