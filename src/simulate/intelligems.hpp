// What the Intelligems writers share: the ids, the metric catalogue and one
// analytics response's data. The responses themselves are written in three files along the
// API's own seams: experiences (list and details), analytics (overview, audiences, day
// windows, timeseries; the overview's verdict block in intelligems_verdict.cpp) and sitewide.
#pragma once

#include "output.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/simulate/vendor_stats.hpp"
#include "reckon/util/json_writer.hpp"

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::simulate::detail::intelligems {

inline constexpr auto k_compact = util::JsonWriter::Layout::compact;

// The ids of the organization, of each experiment's experience and of its variations.
struct Ids {
  std::string organization;
  std::vector<std::string> experience;              // [experiment]
  std::vector<std::vector<std::string>> variations; // [experiment][arm]
};
Ids make_ids(const model::Scenario& scenario);

// A price test's change for a variation, from its mean order value against the control's.
std::optional<std::string> price_change(const model::Scenario& scenario,
                                        const model::ScenarioExperiment& experiment,
                                        std::size_t arm);

// --- the metric catalogue ---------------------------------------------------------------------

enum class Input {
  orders,
  revenue,
  profit,
  add_to_cart,
  checkout_begin,
  contact_info,
  address_submitted,
  abandoned_cart,
  abandoned_checkout
};

struct StatMetric {
  std::string_view name;
  VendorMetricKind kind;
  Input input;
  bool lower_is_better;
  bool needs_costs;
};

inline constexpr StatMetric k_stat_metrics[] = {
    {"conversion_rate", VendorMetricKind::rate, Input::orders, false, false},
    {"net_revenue_per_visitor", VendorMetricKind::per_visitor_value, Input::revenue, false, false},
    {"net_revenue_per_order", VendorMetricKind::per_order_value, Input::revenue, false, false},
    {"gross_profit_per_visitor", VendorMetricKind::per_visitor_value, Input::profit, false, true},
    {"gross_profit_per_order", VendorMetricKind::per_order_value, Input::profit, false, true},
    {"add_to_cart_rate", VendorMetricKind::rate, Input::add_to_cart, false, false},
    {"checkout_begin_rate", VendorMetricKind::rate, Input::checkout_begin, false, false},
    {"checkout_enter_contact_info_rate", VendorMetricKind::rate, Input::contact_info, false, false},
    {"checkout_address_submitted_rate", VendorMetricKind::rate, Input::address_submitted, false,
     false},
    {"abandoned_cart_rate", VendorMetricKind::rate, Input::abandoned_cart, true, false},
    {"abandoned_checkout_rate", VendorMetricKind::rate, Input::abandoned_checkout, true, false},
};
inline constexpr std::size_t k_stat_metric_count = std::size(k_stat_metrics);

std::size_t metric_index(std::string_view name);
// A metric's point value on one tally, null without visitors (or orders, per order).
std::optional<double> point_of(std::string_view metric, const Tally& tally, double margin);

// --- one analytics response's data ------------------------------------------------------------

// The data behind one analytics response: one group of rows per label (a single unlabelled
// group for overview and day windows), each with every arm's tally and statistics. An
// audience view of the whole test or of one day has a group per segment value.
struct AnalyticsSlice {
  std::size_t experiment = 0;
  // overview, audience.<dimension>, day.<date>, day.<date>.audience.<dimension>
  std::string response;
  std::optional<model::Date> day;
  std::string audience; // an audience view's dimension, empty otherwise
  std::vector<std::string> labels;
  std::vector<std::vector<Tally>> tallies;                           // [label][arm]
  std::vector<std::vector<std::vector<VendorStatistic>>> statistics; // [label][metric][arm]
};

// --- the writers ------------------------------------------------------------------------------

// The experiences list of `listed` (newest first), paginated, and each experience's details.
void write_experiences(const model::Scenario& scenario, const Ids& ids,
                       const std::vector<std::size_t>& listed, Output& output);
// Every analytics response of the experiments in `listed`, in that order.
void write_analytics(const model::Scenario& scenario, const Simulation& simulation, const Ids& ids,
                     const std::vector<std::size_t>& listed, Output& output);
// The overview's `impact` and `testResult` blocks.
void write_verdict(util::JsonWriter& json, const model::Scenario& scenario, const Ids& ids,
                   const AnalyticsSlice& overview, const ExperimentSimulation& simulation);
// Both generations of sitewide analytics.
void write_sitewide(const model::Scenario& scenario, const SitewideSimulation& sitewide,
                    Output& output);

} // namespace reckon::simulate::detail::intelligems
