#pragma once

#include "reckon/util/calendar.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::model {

// Dates moved to util so that fetch and parse can share them with the time zones; model
// code keeps its spelling.
using util::Date;

// One value of a segment dimension and the share of traffic it receives, in (0, 1].
struct SegmentShare {
  std::string label;
  double share = 0.0;
};

// An audience dimension ("device_type", "visitor_type", "source_channel", "country_code", ...)
// and its values in the order the scenario lists them; shares sum to 1.
struct SegmentDimension {
  std::string name;
  std::vector<SegmentShare> values;
};

// Multiplies the conversion probability (or, in a variation's allocation multipliers, the
// allocation weight) of visitors whose `dimension` has `value`. For conversion, the
// pseudo-dimension "day_type" has the values "weekday" and "weekend".
struct ConversionMultiplier {
  std::string dimension;
  std::string value;
  double factor = 1.0;
};

// Log-normal order values with this mean and coefficient of variation (sd / mean).
struct OrderValueModel {
  double mean = 0.0;
  double cv = 0.0;
};

// The funnel stages a visitor may reach before ordering, in order.
enum class FunnelStage { add_to_cart, checkout_begin, contact_info, address_submitted };
inline constexpr std::size_t k_funnel_stages = 4;

// True share of visitors reaching each stage, for a visitor with the reference conversion
// rate (the control's for the store funnel, the variation's own for a variation's funnel).
// Decreasing, and every stage above the conversion rate, since every buyer passes them all.
struct FunnelRates {
  std::array<double, k_funnel_stages> rates{};
};

// The store's traffic outside experiments, for sitewide analytics: `start`..`end` inclusive is
// the reporting window, and the same number of days before it the comparison period.
struct SitewideTraffic {
  Date start;
  Date end;
  std::uint64_t daily_visitors = 0;
  double conversion_rate = 0.0;
};

struct ScenarioStore {
  std::string name;
  std::string domain;
  std::string currency_code = "USD";
  std::string currency_symbol = "$";
  OrderValueModel order_value;
  FunnelRates funnel;
  // Share of revenue that is cost of goods; absent when the store configured no costs, which
  // makes every profit metric null.
  std::optional<double> cost_of_goods_share;
  // Multiplies daily traffic on Saturdays and Sundays.
  double weekend_traffic = 1.0;
  // Mean units (items) per order, at least 1: each sitewide order has 1 + Poisson(mean - 1)
  // units, drawn independently of its value.
  double units_per_order = 1.4;
  std::vector<SegmentDimension> dimensions;
  // Apply to every visitor of every experiment and to sitewide traffic.
  std::vector<ConversionMultiplier> conversion_multipliers;
  std::optional<SitewideTraffic> sitewide;
};

// A reported statistic deliberately set off its true value, for `check` to catch. `response`
// names the analytics response as the generated file does: "overview",
// "audience.device_type" (with `segment`), or "day.2026-09-03".
struct VendorErrorPlan {
  std::string response;
  std::string segment;
  std::string variation;
  std::string metric;
  std::string field; // value, ci_low, ci_high, p2bb, p2bc, uplift.value, uplift.ci_low, ...
  double offset = 0.0;
};

struct ScenarioVariation {
  std::string id;
  std::string name;
  bool is_control = false;
  double allocation_percent = 0.0;
  // Conversion probability before any multiplier.
  double conversion_rate = 0.0;
  std::optional<OrderValueModel> order_value; // the store's when absent
  std::optional<FunnelRates> funnel;          // the store's when absent
  std::vector<ConversionMultiplier> conversion_multipliers;
  // Multiply this variation's allocation weight for visitors of a segment value (no day type):
  // inside a combination of segment values the arms' shares are the allocations times their
  // factors, renormalised. Plants a sample-ratio mismatch or a Simpson reversal in a segment.
  std::vector<ConversionMultiplier> allocation_multipliers;
};

enum class ScenarioSource { intelligems, platform, bandit };
enum class ScenarioStatus { pending, started, paused, ended };

struct ScenarioExperiment {
  std::string id; // a slug: the counts CSV's experiment column
  std::string name;
  std::string description;
  std::string hypothesis; // the experimentation platform's field
  // What the scenario plants, in words; copied into truth.json.
  std::string note;
  ScenarioSource source = ScenarioSource::intelligems;
  std::string type = "content/advanced"; // the Intelligems experience type
  ScenarioStatus status = ScenarioStatus::started;
  Date start;
  Date end; // last day of data, inclusive
  std::uint64_t daily_visitors = 0;
  std::string primary_metric = "net_revenue_per_visitor";
  std::string algorithm = "THOMPSON_SAMPLING"; // bandit source only
  std::vector<ScenarioVariation> variations;
  std::vector<VendorErrorPlan> vendor_errors;

  std::size_t control_index() const;
  // Whether some variation has allocation multipliers.
  bool skews_allocation() const;
  std::int64_t days() const { return end.days_since_epoch - start.days_since_epoch + 1; }
};

// Page sizes of the generated list responses.
struct ScenarioPagination {
  std::uint64_t intelligems_experiences = 20;
  std::uint64_t platform_experiments = 20;
  std::uint64_t bandit_events = 100;
};

// A simulated store and its experiments: everything `reckon simulate` needs. Plain data,
// validated by the reader that builds it.
struct Scenario {
  std::uint64_t seed = 0;
  // When the responses are taken: the API's clock, in seconds since the Unix epoch.
  std::int64_t as_of_seconds = 0;
  ScenarioStore store;
  // Store dimensions whose audience view is also written per day (Intelligems day windows) and
  // whose segment-on-day rows the counts CSV holds; none by default (one response per day each).
  std::vector<std::string> day_segments;
  ScenarioPagination pagination;
  std::vector<ScenarioExperiment> experiments;
};

std::string_view to_string(ScenarioSource source);
std::string_view to_string(ScenarioStatus status);
std::string_view to_string(FunnelStage stage);

} // namespace reckon::model
