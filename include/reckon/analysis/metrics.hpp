#pragma once

#include "reckon/stats/monte_carlo.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace reckon::analysis {

// How a metric is modelled, given the counts an arm holds.
enum class MetricKind {
  rate_over_visitors, // successes / visitors: Beta-Binomial
  value_per_order,    // an amount per order (or per unit): posterior of a positive mean
  value_per_visitor,  // an amount per visitor: conversion x value per order, drawn jointly
  count,              // an absolute count or total: an input to other metrics, no statistics
  ratio,              // a share the vendor reports as a bare value, without statistics
};

// The money a value metric adds up: revenue is never negative, profit can be; `other` is a
// total the source names (units, product revenue, discounts ...), known only as reported.
enum class Amount { none, revenue, profit, other };

struct MetricDefinition {
  std::string_view name; // the vendor's analytics name (snake_case)
  MetricKind kind;
  Amount amount;
  stats::Direction direction;
  // Rates: the count of visitors who did it ("n_orders", "n_visitors_added_to_cart"). Value
  // metrics of an `other` amount: the total divided ("total_units"). Empty otherwise.
  std::string_view count_field;
  // Per-order metrics: what the total is divided by ("n_orders", "total_units").
  std::string_view denominator;
  // The vendor reports value, interval, p2bb, p2bc and uplift (else the value alone).
  bool reported_with_statistics;
  // Reckon re-analyses it when the data hold what its model needs; otherwise the reason.
  std::string_view no_model_reason;

  bool modelled() const { return no_model_reason.empty(); }
};

// Every metric name of the Intelligems analytics API that Reckon knows, with its model,
// direction and what the vendor reports for it (research/intelligems-api.md §1.4.2).
std::span<const MetricDefinition> metric_catalogue();

// The definition of a metric by name, if Reckon knows it.
std::optional<MetricDefinition> find_metric(std::string_view name);

// The metrics Reckon re-analyses from a counts CSV (visitors, conversions, revenue and profit
// with their sums of squares).
bool analysable_from_counts(const MetricDefinition& metric);

} // namespace reckon::analysis
