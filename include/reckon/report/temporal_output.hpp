#pragma once

#include "reckon/analysis/temporal.hpp"
#include "reckon/report/results_output.hpp"

#include <string>

namespace reckon::report {

// The `reckon.temporal/v1` document (README, "Temporal"): every cell as in
// `reckon.results/v1`, the weekend-against-weekday difference with its Monte Carlo errors, the
// trend, the leader and the traffic-source correlations.
std::string render_temporal_json(const analysis::TemporalResults& results, const RunInfo& run);

// One row per experiment x variation x metric x temporal slice (day, day type, day of week,
// cumulative) with the cell's numbers, and a row per weekend-against-weekday difference;
// nulls as empty fields, numbers with round-trip precision.
std::string render_temporal_csv(const analysis::TemporalResults& results);

// How much a temporal table shows: the headline and each experiment's days, or also every
// metric's days, the day-of-week profile, the trend's numbers and the traffic sources.
enum class TemporalDetail { headline_and_days, everything };

// For people, in 100 columns: one headline row per experiment and variation first, then per
// experiment its days with weekday names, uplift, P(beat control) and the cumulative uplift.
std::string render_temporal_table(const analysis::TemporalResults& results, TemporalDetail detail);

} // namespace reckon::report
