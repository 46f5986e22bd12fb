#include "check_rules.hpp"

#include "cell_analysis.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace reckon::analysis {

namespace {

std::string evidence_of(std::string_view dimension, std::optional<std::uint64_t> largest_null,
                        std::optional<std::uint64_t> smallest_non_null) {
  const auto text = [](std::optional<std::uint64_t> n) {
    return n ? std::to_string(*n) : std::string("none");
  };
  return std::string(dimension) + ": largest null " + text(largest_null) + ", smallest non-null " +
         text(smallest_non_null);
}

} // namespace

std::string describe(const NullBoundary& boundary, bool evidence) {
  std::string text;
  std::vector<std::string> proofs;
  if (boundary.null_rows == boundary.rows) {
    text = "null in every row";
  } else if (boundary.min_events == 0 && boundary.min_visitors == 0) {
    text = "never null";
  } else {
    text = "null below ";
    if (boundary.min_events > 0) {
      text += std::to_string(boundary.min_events) + " " + boundary.events;
      proofs.push_back(evidence_of(boundary.events, boundary.largest_null_events,
                                   boundary.smallest_non_null_events));
    }
    if (boundary.min_visitors > 0) {
      text += std::string(boundary.min_events > 0 ? " or " : "") +
              std::to_string(boundary.min_visitors) + " visitors";
      proofs.push_back(evidence_of("visitors", boundary.largest_null_visitors,
                                   boundary.smallest_non_null_visitors));
    }
    text += " in an arm";
  }
  if (evidence && !proofs.empty()) {
    text += " (" + proofs.front() + (proofs.size() > 1 ? "; " + proofs.back() : "") + ")";
  }
  return text;
}

namespace detail {
namespace {

constexpr std::array<MetricKind, 3> k_statistic_kinds{
    MetricKind::rate_over_visitors, MetricKind::value_per_order, MetricKind::value_per_visitor};

bool is_statistical(const model::ReportedMetric& reported) {
  const std::optional<MetricDefinition> metric = find_metric(reported.name);
  return metric && metric->reported_with_statistics && !reported.whole_null;
}

// A slice whose response carries statistics: its variants report an uplift object. Timeseries
// days carry bare values and are not held to the statistical rules.
bool carries_statistics(const model::CountsCell& cell) {
  for (const model::ArmCounts& arm : cell.arms) {
    for (const model::ReportedMetric& reported : arm.reported) {
      if (reported.uplift || reported.p2bb || reported.ci_low) {
        return true;
      }
    }
  }
  return false;
}

// The events a metric's statistics rest on: the rate's successes when their count was given,
// else the orders.
std::optional<std::uint64_t> event_count(const MetricDefinition& metric,
                                         const model::ArmCounts& arm) {
  if (metric.kind != MetricKind::rate_over_visitors) {
    return arm.conversions;
  }
  if (metric.count_field != "n_orders" && arm.totals.find(metric.count_field) == arm.totals.end()) {
    return std::nullopt;
  }
  return successes(metric, arm).count;
}

// One metric of one slice with statistics: the least data of any arm, and whether the vendor
// left its statistics null (in any arm).
struct NullRow {
  const model::CountsCell* cell;
  std::string_view metric;
  MetricKind kind;
  std::uint64_t visitors; // of the arm with fewest
  std::uint64_t events;   // the metric's own events (orders for value metrics), fewest
  std::uint64_t orders;   // fewest
  bool null;

  std::uint64_t events_of(const NullRule& rule) const { return rule.on_orders ? orders : events; }
};

std::vector<NullRow> null_rows(const model::Experiment& experiment) {
  std::vector<NullRow> rows;
  constexpr std::uint64_t k_none = std::numeric_limits<std::uint64_t>::max();
  for (const model::CountsCell& cell : experiment.cells) {
    if (!carries_statistics(cell)) {
      continue;
    }
    for (const model::ReportedMetric& first : cell.arms.front().reported) {
      const std::optional<MetricDefinition> metric = find_metric(first.name);
      if (!metric || !is_statistical(first)) {
        continue;
      }
      NullRow row{&cell, metric->name, metric->kind, k_none, k_none, k_none, false};
      bool known = true;
      for (const model::ArmCounts& arm : cell.arms) {
        const model::ReportedMetric* reported = find_reported(arm, first.name);
        const std::optional<std::uint64_t> events = event_count(*metric, arm);
        known = known && events.has_value() && reported != nullptr;
        row.visitors = std::min(row.visitors, arm.visitors);
        row.events = std::min(row.events, events.value_or(0));
        row.orders = std::min(row.orders, arm.conversions);
        row.null = row.null || reported == nullptr || !reported->p2bb;
      }
      if (known) {
        rows.push_back(row);
      }
    }
  }
  return rows;
}

// A row as the inference sees it: its data in the two dimensions of the rule, and its fate.
struct Point {
  std::uint64_t visitors;
  std::uint64_t events;
  bool null;
};

// Null below `events` events or `visitors` visitors in the arm with fewest.
struct Thresholds {
  std::uint64_t events = 0;
  std::uint64_t visitors = 0;

  bool low(std::uint64_t arm_visitors, std::uint64_t arm_events) const {
    return arm_visitors < visitors || arm_events < events;
  }
};

struct Fit {
  Thresholds thresholds;
  std::size_t errors = std::numeric_limits<std::size_t>::max();
};

// The thresholds (null below E events or V visitors) that leave the fewest rows on the wrong
// side; ties go to the smallest E, then V. Lowering E to just above the next null row's events
// never adds an error, so E need only be 0 or one more than some null row's events; for each E
// one sweep over the rows by visitors tries every V. O(rows x distinct null event counts).
Fit best_fit(std::vector<Point> points) {
  std::sort(points.begin(), points.end(),
            [](const Point& a, const Point& b) { return a.visitors < b.visitors; });
  std::vector<std::uint64_t> cuts{0};
  for (const Point& p : points) {
    if (p.null) {
      cuts.push_back(p.events + 1);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  Fit best;
  for (const std::uint64_t cut : cuts) {
    // V = 0: a row is wrong when it is non-null below E, or null at E or above.
    std::size_t errors = 0;
    for (const Point& p : points) {
      errors += (p.events < cut) != p.null ? 1 : 0;
    }
    if (errors < best.errors) {
      best = {{cut, 0}, errors};
    }
    for (std::size_t i = 0; i < points.size();) {
      const std::uint64_t visitors = points[i].visitors;
      for (; i < points.size() && points[i].visitors == visitors; ++i) {
        if (points[i].events >= cut) { // now below V: right if null, wrong if not
          points[i].null ? --errors : ++errors;
        }
      }
      if (errors < best.errors) {
        best = {{cut, visitors + 1}, errors};
      }
    }
  }
  return best;
}

// The boundary that separates the rows `fit` explains with the least use of visitors: events
// as low as the non-null rows allow, then visitors only for the null rows events leave
// unexplained. Any threshold between the evidence's two sides judges the explained rows alike,
// and the others too: one it judged right would make a fit with fewer errors than the best.
NullBoundary boundary_of(const std::vector<Point>& points, const Fit& fit) {
  NullBoundary boundary;
  const auto keep_min = [](std::optional<std::uint64_t>& to, std::uint64_t n) {
    to = std::min(to.value_or(n), n);
  };
  const auto keep_max = [](std::optional<std::uint64_t>& to, std::uint64_t n) {
    to = std::max(to.value_or(n), n);
  };
  std::vector<Point> explained;
  for (const Point& p : points) {
    if (fit.thresholds.low(p.visitors, p.events) == p.null) {
      explained.push_back(p);
      if (!p.null) {
        keep_min(boundary.smallest_non_null_events, p.events);
        keep_min(boundary.smallest_non_null_visitors, p.visitors);
      }
    }
  }
  const std::uint64_t least_events =
      boundary.smallest_non_null_events.value_or(std::numeric_limits<std::uint64_t>::max());
  for (const Point& p : explained) {
    if (p.null && p.events >= least_events) {
      keep_max(boundary.largest_null_visitors, p.visitors);
    }
  }
  boundary.min_visitors = boundary.largest_null_visitors ? *boundary.largest_null_visitors + 1 : 0;
  for (const Point& p : explained) {
    if (p.null && p.visitors >= boundary.min_visitors) {
      keep_max(boundary.largest_null_events, p.events);
    }
  }
  boundary.min_events = boundary.largest_null_events ? *boundary.largest_null_events + 1 : 0;
  boundary.rows = points.size();
  boundary.unexplained = points.size() - explained.size();
  for (const Point& p : points) {
    boundary.null_rows += p.null ? 1 : 0;
  }
  return boundary;
}

std::string_view kind_name(MetricKind kind) {
  switch (kind) {
  case MetricKind::rate_over_visitors:
    return "rates";
  case MetricKind::value_per_order:
    return "per-order values";
  default:
    return "per-visitor values";
  }
}

// The rule of one kind counted on the rate's own events or on orders (value metrics have only
// orders): the account's rows as points, fitted.
NullRule fit_rule(std::span<const NullRow> rows, MetricKind kind, bool on_orders) {
  NullRule rule{kind, on_orders, {}};
  std::vector<Point> points;
  for (const NullRow& row : rows) {
    if (row.kind == kind) {
      points.push_back({row.visitors, row.events_of(rule), row.null});
    }
  }
  rule.boundary = boundary_of(points, best_fit(points));
  rule.boundary.kind = kind_name(kind);
  rule.boundary.events = on_orders || kind != MetricKind::rate_over_visitors ? "orders" : "events";
  return rule;
}

} // namespace

// One boundary per kind of statistic: a rate rests on its successes, a value per order on
// orders, a value per visitor on orders and visitors, and the vendor models each kind its own
// way, so each may have its own threshold; within a kind every metric shares one, which lets
// the few rows of one metric be judged against the many of the others. A rate may yet be
// nulled by orders rather than by its own successes (the vendor speaks of "orders per
// variation"): of the two, the count that explains more rows wins, ties going to its own.
std::vector<NullRule> infer_null_rules(const model::Dataset& dataset) {
  std::vector<NullRow> rows;
  for (const model::Experiment& experiment : dataset.experiments) {
    const std::vector<NullRow> more = null_rows(experiment);
    rows.insert(rows.end(), more.begin(), more.end());
  }
  std::vector<NullRule> rules;
  for (const MetricKind kind : k_statistic_kinds) {
    NullRule rule = fit_rule(rows, kind, false);
    if (kind == MetricKind::rate_over_visitors) {
      NullRule by_orders = fit_rule(rows, kind, true);
      if (by_orders.boundary.unexplained < rule.boundary.unexplained) {
        rule = std::move(by_orders);
      }
    }
    if (rule.boundary.rows > 0) {
      rules.push_back(std::move(rule));
    }
  }
  return rules;
}

std::vector<NullRule> fixed_null_rules(const CheckSettings& settings) {
  std::vector<NullRule> rules;
  for (const MetricKind kind : k_statistic_kinds) {
    NullRule rule{kind, false, {}};
    rule.boundary.min_events = settings.low_data_events;
    rule.boundary.min_visitors = settings.low_data_visitors;
    rules.push_back(rule);
  }
  return rules;
}

CheckOutcome check_null_exactly_when_low(const model::Experiment& experiment,
                                         const CheckSettings& settings,
                                         std::span<const NullRule> rules) {
  std::string title = "statistics are null exactly when data are low (below " +
                      std::to_string(settings.low_data_visitors) + " visitors or " +
                      std::to_string(settings.low_data_events) + " events in an arm)";
  if (!settings.fixed_null_rule) {
    title = "statistics are null exactly when data are low, by the account's own boundary";
    for (std::size_t i = 0; i < rules.size(); ++i) {
      title += (i == 0 ? " (" : "; ") + rules[i].boundary.kind + ": " +
               describe(rules[i].boundary, false) + (i + 1 == rules.size() ? ")" : "");
    }
  }
  CheckOutcome outcome{"null_exactly_when_low", std::move(title), 0, {}};
  for (const NullRow& row : null_rows(experiment)) {
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&row](const NullRule& r) { return r.kind == row.kind; });
    if (rule == rules.end()) {
      continue;
    }
    ++outcome.examined;
    const Thresholds thresholds{rule->boundary.min_events, rule->boundary.min_visitors};
    if (thresholds.low(row.visitors, row.events_of(*rule)) == row.null) {
      continue;
    }
    std::string detail = row.null ? "statistics are null although every arm has enough data"
                                  : "statistics are reported although an arm has too little data";
    if (!settings.fixed_null_rule) {
      detail += " by the account's boundary (fewest in an arm: " + std::to_string(row.visitors) +
                " visitors, " + std::to_string(row.events_of(*rule)) + " " + rule->boundary.events +
                "; " + rule->boundary.kind + " " + describe(rule->boundary) + ")";
    }
    outcome.failures.push_back({row.cell->slice, std::string(row.metric), {}, std::move(detail)});
  }
  return outcome;
}

} // namespace detail
} // namespace reckon::analysis
