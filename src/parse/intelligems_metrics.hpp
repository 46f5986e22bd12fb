#pragma once

#include "json_reader.hpp"

#include "reckon/model/experiment.hpp"

#include <optional>
#include <set>
#include <string_view>

namespace reckon::parse::detail {

// One row of an analytics `metrics` array, read into an arm. The views point into the parsed
// document and die with it.
struct MetricsRow {
  std::string_view variation_id;
  std::string_view audience; // the segment label; empty outside audience views
  model::ArmCounts arm;      // variation_id left empty: the caller joins it
};

// Metric names that some row of a response gives as more than a bare {value} (a rate with an
// interval, a ratio with an uplift): such a metric is never a total, even on the rows (the
// control's) where it is a bare {value}.
using StatisticalNames = std::set<std::string_view, std::less<>>;

// Reads a row: counts from n_visitors, n_orders, net_revenue and gross_profit; every bare
// {value} number into `totals` (the caller removes `statistical` names once every row is
// read); every metric into `reported`. `audience_view` makes the `audience` label required.
std::optional<MetricsRow> read_metrics_row(JsonReader& r, simdjson::dom::element value,
                                           const JsonPath& path, bool audience_view,
                                           StatisticalNames& statistical);

// One metric as reported: JSON null, or an object without any number, is `whole_null`.
// Sets `bare_value` false when the metric carries an interval, a probability or an uplift.
std::optional<model::ReportedMetric> read_reported_metric(JsonReader& r, std::string_view name,
                                                          simdjson::dom::element value,
                                                          const JsonPath& path, bool& bare_value);

} // namespace reckon::parse::detail
