#pragma once

#include "reckon/model/experiment.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace reckon::simulate {

// The statistics Intelligems reports, reproduced the way research/intelligems-api.md (§3)
// infers they are computed: 10,000 Monte Carlo draws; conversion-type rates from
// Beta(events + 1, visitors - events + 1); mean order value from a log-normal posterior centred
// on the observed mean (its interval symmetric on the log scale); revenue per visitor as the
// rate posterior times the order-value posterior, drawn jointly; p2bb the probability to be
// best of all arms, p2bc to beat the control; uplift.value the ratio of point values minus one.
inline constexpr std::uint64_t k_vendor_draws = 10'000;

// Below these counts in any arm of a slice, the vendor leaves p2bb, p2bc and every interval
// null (observed null at 5 and ~19 events per arm, present at 49; dashboard gate 100 visitors).
inline constexpr std::uint64_t k_vendor_min_events = 30;
inline constexpr std::uint64_t k_vendor_min_visitors = 100;

enum class VendorMetricKind {
  rate,              // events / visitors
  per_order_value,   // value / orders
  per_visitor_value, // value / visitors = (orders / visitors) x (value / orders)
};

// One arm's aggregates for one metric. `events` counts the rate's successes; `value_sum` and
// `value_sq` are the sum and sum of squares of the per-order values.
struct VendorArmInput {
  std::uint64_t visitors = 0;
  std::uint64_t events = 0;
  std::uint64_t orders = 0;
  double value_sum = 0.0;
  double value_sq = 0.0;
};

// One metric cell of one row, rounded the way the API writes numbers: values and bounds to 7
// decimals and at most 8 significant digits, p2bc to 4 decimals, p2bb to 4 decimals stored as
// a float32, uplift.plus_minus to 4 decimals. Null fields are absent optionals.
struct VendorStatistic {
  bool is_control = false;
  std::optional<double> value;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  std::optional<double> plus_minus;
  std::optional<double> p2bb;
  std::optional<double> p2bc;   // non-control rows only
  model::ReportedUplift uplift; // non-control rows only
};

// Computes one metric for every arm of a slice. `lower_is_better` flips best and beat-control
// (abandonment rates). The draws use SamplingPlan{k_vendor_draws, seed, 0.95} on `stream`.
std::vector<VendorStatistic> vendor_statistics(VendorMetricKind kind,
                                               std::span<const VendorArmInput> arms,
                                               std::size_t control, bool lower_is_better,
                                               std::uint64_t seed, std::uint64_t stream);

// The API's rounding of metric values: 7 decimals, and at most 8 significant digits.
double vendor_round(double value);
// Rounds to `decimals` places.
double round_to(double value, int decimals);
// A probability as p2bb is written: rounded to 4 decimals, then stored as a float32.
double vendor_p2bb(double probability);

} // namespace reckon::simulate
