#pragma once

#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"
#include "reckon/model/sitewide.hpp"
#include "reckon/util/json_writer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The report's charts as Vega-Lite v5 specifications (issue 14): each a self-contained JSON
// document with its data inline, for vega-embed to draw. No chart is drawn by hand, so these
// functions only choose marks, encodings and rows. An experiment with nothing to draw gives an
// empty string, and the page leaves the chart out.
namespace reckon::report::charts {

// Segment uplifts on the primary metric (the first of `metrics`), one panel per dimension (per
// variation and dimension when there are several variations), each listing only its own
// segments, highest raw uplift first, on a shared uplift axis: per segment the raw estimate and
// the partially pooled one, each with its interval (colour and vertical offset tell them
// apart), the verdict as the point's shape (winners and losers stand out), a rule at 0 and a
// dashed rule at the variation's overall uplift. LOW DATA segments are left out (the subtitle
// counts them). Two data rows per segment and variation drawn.
std::string segment_forest(const analysis::ExperimentSegments& segments);

// The daily uplift of each variation on the timeline's metric with its interval band, the
// weekend days shaded (a rect from each Saturday and Sunday to the next day) and a rule at 0.
std::string daily_uplift(const analysis::ExperimentTimeline& timeline);

// P(beat control) of the days so far, per variation, with the verdict's threshold (and
// 1 - threshold, the loser's) as rules.
std::string cumulative_chance(const analysis::ExperimentTimeline& timeline, double threshold);

// One day of the store during a test: the store's visitors and revenue per visitor, and the
// test's visitors (every arm) with their share of the store's.
struct StoreContextDay {
  std::string date;
  std::uint64_t store_visitors = 0;
  double store_revenue = 0.0;
  std::optional<double> revenue_per_visitor; // absent on a day without visitors
  std::uint64_t test_visitors = 0;
  std::optional<double> test_share;
};

// The store over the test's window (its first to last day slice) for the page to print: sums of
// the days both the store and the test have (visitor-days, since visitors are distinct within
// a day only), the store's revenue per visitor and the test's share of its visitors.
struct StoreContext {
  std::string currency;
  std::string first_day;
  std::string last_day;
  std::uint64_t store_visitors = 0;
  std::uint64_t store_orders = 0;
  double store_revenue = 0.0;
  std::optional<double> revenue_per_visitor;
  std::uint64_t test_visitors = 0;
  std::optional<double> test_share;
  std::vector<StoreContextDay> days;
};

// Nullopt when the experiment has no day slices or the store no day inside their window.
std::optional<StoreContext> store_context_numbers(const model::SitewideSeries& store,
                                                  const model::Experiment& experiment);

// The store's visitors (the test's beside them) and revenue per visitor per day, and the test's
// share of the visitors, stacked over one day axis; empty without days.
std::string store_context(const StoreContext& context, std::string_view experiment_name);

namespace detail {

// Wide enough for the day axis of a long test, narrow enough for a laptop's page column.
inline constexpr int k_width = 720;

// Opens a spec: $schema and title (with `subtitle` when not empty); the caller adds the width
// (a faceted spec takes it on its inner spec), data, marks and encodings, then closes it.
void begin_spec(util::JsonWriter& json, std::string_view title, std::string_view subtitle);

// The variation's name, or its id when it has none.
std::string variation_name(const std::vector<model::Variation>& variations, std::string_view id);

// Writes `"title": text, "format": format` for an axis of the encoding being written.
void axis(util::JsonWriter& json, std::string_view title, std::string_view format);

// The `x` channel of a day `field` (a temporal UTC scale, ticks at most daily); titled and
// labelled when `with_axis`.
void day_x(util::JsonWriter& json, std::string_view field, bool with_axis);

} // namespace detail

} // namespace reckon::report::charts
