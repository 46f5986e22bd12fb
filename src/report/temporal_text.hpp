#pragma once

#include "reckon/analysis/temporal.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace reckon::report::temporal_text {

// Numbers as people read them: "+6.1 %", "0.93", "12,345"; "-" for an absent number.
std::string signed_percent(std::optional<double> fraction);
std::string probability(std::optional<double> p);
std::string count(std::uint64_t n);
// "[-10.2 %, +18.0 %]"
std::string percent_interval(std::optional<double> low, std::optional<double> high);
std::string uplift_interval(const analysis::CellResult& cell);
std::optional<double> uplift_of(const analysis::CellResult& cell);

// The first `width` bytes of an ASCII name, with "..." when cut.
std::string clip(const std::string& text, std::size_t width);

// "revenue per visitor" for net_revenue_per_visitor, the name itself for others.
std::string metric_words(const std::string& metric);

// The name of a variation by id, else the id.
std::string variation_name(const analysis::ExperimentTimeline& experiment, const std::string& id);

// The variation's timeline on the experiment's chosen metric, if any.
const analysis::VariationTimeline* primary_timeline(const analysis::ExperimentTimeline& experiment,
                                                    const std::string& variation);

// The details `--all` adds below an experiment's days: the other metrics' days, the
// day-of-week profile, the trend's numbers and the traffic sources.
std::string render_details(const analysis::ExperimentTimeline& experiment, double level);

// One variation's days on one metric: weekday, uplift, P(beat control), cumulative uplift.
std::string render_days(const analysis::ExperimentTimeline& experiment,
                        const analysis::VariationTimeline& timeline, double level);

} // namespace reckon::report::temporal_text
