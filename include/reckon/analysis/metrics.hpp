#pragma once

#include "reckon/stats/monte_carlo.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace reckon::analysis {

// How a metric is modelled, given the counts an arm holds.
enum class MetricKind {
  rate_over_visitors, // successes / visitors: Beta-Binomial
  value_per_order,    // revenue / orders: posterior of a positive mean
  value_per_visitor,  // revenue / visitors: conversion x value per order, drawn jointly
};

// The money a value metric adds up: revenue is never negative, profit can be.
enum class Amount { none, revenue, profit };

struct MetricDefinition {
  std::string_view name;
  MetricKind kind;
  Amount amount;
  stats::Direction direction;
};

// The metrics Reckon re-analyses from counts (visitors, conversions, revenue and profit with
// their sums of squares), under the vendor's names.
std::span<const MetricDefinition> counts_metrics();

// The definition of a metric by name, if Reckon knows it.
std::optional<MetricDefinition> find_counts_metric(std::string_view name);

} // namespace reckon::analysis
