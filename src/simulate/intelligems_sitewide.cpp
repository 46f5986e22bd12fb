// Intelligems sitewide analytics, both generations: the Feb-2026 single endpoint and the
// snapshot, audience snapshots, timeseries, order distribution and conversion funnel.
#include "intelligems.hpp"
#include "random.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace reckon::simulate::detail::intelligems {

namespace {

using model::Scenario;
using util::JsonWriter;

struct SitewideValues {
  std::optional<double> n_visitors, n_orders, net_revenue, conversion_rate, aov,
      net_revenue_per_visitor, gross_profit, gross_profit_per_visitor, gross_margin_pct,
      add_to_cart_rate, checkout_begin_rate, pct_revenue_with_cogs;
};

SitewideValues sitewide_values(const Tally& tally, const Scenario& scenario) {
  const auto ratio = [](double n, std::uint64_t d) -> std::optional<double> {
    return d == 0 ? std::nullopt : std::optional<double>(n / static_cast<double>(d));
  };
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);
  SitewideValues v;
  v.n_visitors = static_cast<double>(tally.visitors);
  v.n_orders = static_cast<double>(tally.orders);
  v.net_revenue = tally.revenue();
  v.conversion_rate = ratio(static_cast<double>(tally.orders), tally.visitors);
  v.aov = ratio(tally.revenue(), tally.orders);
  v.net_revenue_per_visitor = ratio(tally.revenue(), tally.visitors);
  if (costs) {
    v.gross_profit = tally.revenue() * margin;
    v.gross_profit_per_visitor = ratio(tally.revenue() * margin, tally.visitors);
    v.gross_margin_pct = margin;
  }
  v.add_to_cart_rate = ratio(static_cast<double>(tally.reached[0]), tally.visitors);
  v.checkout_begin_rate = ratio(static_cast<double>(tally.reached[1]), tally.visitors);
  v.pct_revenue_with_cogs = costs ? 1.0 : 0.0;
  return v;
}

using SitewideField = std::optional<double> SitewideValues::*;
struct SitewideMetric {
  std::string_view name;
  SitewideField field;
  bool additive; // a count or total (vs a ratio)
  bool profit;
  bool money;
};

constexpr SitewideMetric k_sitewide_metrics[] = {
    {"n_visitors", &SitewideValues::n_visitors, true, false, false},
    {"n_orders", &SitewideValues::n_orders, true, false, false},
    {"net_revenue", &SitewideValues::net_revenue, true, false, true},
    {"conversion_rate", &SitewideValues::conversion_rate, false, false, false},
    {"aov", &SitewideValues::aov, false, false, false},
    {"net_revenue_per_visitor", &SitewideValues::net_revenue_per_visitor, false, false, false},
    {"gross_profit", &SitewideValues::gross_profit, true, true, true},
    {"gross_profit_per_visitor", &SitewideValues::gross_profit_per_visitor, false, true, false},
    {"gross_margin_pct", &SitewideValues::gross_margin_pct, false, true, false},
    {"add_to_cart_rate", &SitewideValues::add_to_cart_rate, false, false, false},
    {"checkout_begin_rate", &SitewideValues::checkout_begin_rate, false, false, false},
    {"pct_revenue_with_cogs", &SitewideValues::pct_revenue_with_cogs, false, false, false},
};

std::optional<double> shown(const SitewideMetric& metric, std::optional<double> value) {
  if (!value) {
    return value;
  }
  return metric.money ? money(*value) : vendor_round(*value);
}

std::optional<double> change(std::optional<double> current, std::optional<double> previous) {
  if (!current || !previous || *previous == 0.0) {
    return std::nullopt;
  }
  return vendor_round(*current / *previous - 1.0);
}

Tally window_tally(const SitewideSimulation& sitewide, bool current,
                   std::optional<std::pair<std::size_t, std::size_t>> segment) {
  Tally total;
  const std::size_t begin = current ? sitewide.window_begin : 0;
  const std::size_t end = current ? sitewide.days.size() : sitewide.window_begin;
  for (std::size_t d = begin; d < end; ++d) {
    const DayTallies& day = sitewide.days[d];
    total.add(segment ? day.segments[segment->first][segment->second][0] : day.arms[0]);
  }
  return total;
}

// One segment object of a snapshot. `share` and `total` describe the segment's place in the
// whole store, for an audience snapshot's decomposition of the total change.
struct SnapshotSegment {
  SitewideValues current;
  SitewideValues previous;
  std::optional<double> share_current; // of visitors
  std::optional<double> share_previous;
};

void write_snapshot_segment(JsonWriter& json, const Scenario& scenario,
                            const SnapshotSegment& segment, const SnapshotSegment* total,
                            const std::vector<SnapshotSegment>* parts) {
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  json.begin_object();
  json.key("currency").value(scenario.store.currency_code);
  json.key("cogs_configured").value(costs);
  json.key("cogs_coverage_pct").value(costs ? 1 : 0);
  for (const SitewideMetric& metric : k_sitewide_metrics) {
    json.key(metric.name);
    if (metric.profit && !costs) {
      json.null();
      continue;
    }
    const std::optional<double> now = segment.current.*metric.field;
    const std::optional<double> before = segment.previous.*metric.field;
    json.begin_object();
    json.key("value").value(shown(metric, now));
    json.key("pct_change").value(change(now, before));
    if (total != nullptr) {
      // This segment's share of the store's change: its own change, weighted by its visitor
      // share for ratios, over the store's previous value.
      const std::optional<double> store_before = total->previous.*metric.field;
      std::optional<double> impact;
      if (now && before && store_before && *store_before != 0.0) {
        const double weight = metric.additive ? 1.0 : segment.share_current.value_or(0.0);
        impact = vendor_round((*now - *before) * weight / *store_before);
      }
      json.key("pct_impact_to_total_change").value(impact);
    }
    if (parts != nullptr && !metric.additive) {
      // The part of the store's change that comes from the visitor mix moving between segments.
      const std::optional<double> store_before = segment.previous.*metric.field;
      std::optional<double> shift;
      if (store_before && *store_before != 0.0) {
        double sum = 0.0;
        bool complete = true;
        for (const SnapshotSegment& part : *parts) {
          const std::optional<double> part_before = part.previous.*metric.field;
          if (!part_before || !part.share_current || !part.share_previous) {
            complete = false;
            break;
          }
          sum += (*part.share_current - *part.share_previous) * *part_before;
        }
        if (complete) {
          shift = vendor_round(sum / *store_before);
        }
      }
      json.key("impact_from_visitor_mix_shift").value(shift);
    }
    json.end_object();
  }
  json.end_object();
}

// --- order distribution -----------------------------------------------------------------------

// Points of the order value distribution's grid, from 0 to the 99.5th percentile of both
// periods' order values.
constexpr std::size_t k_distribution_points = 100;
constexpr double k_distribution_top = 0.995;

// One sitewide order: its value and its units.
struct SitewideOrder {
  std::uint64_t cents = 0;
  std::uint64_t units = 1;
};

// 1 + Poisson(mean - 1) units, by Knuth's product of uniforms (the mean is small).
std::uint64_t draw_units(Random& random, double mean) {
  const double limit = std::exp(-(mean - 1.0));
  std::uint64_t extra = 0;
  double product = random.uniform();
  while (product > limit && extra < 1000) {
    ++extra;
    product *= random.uniform();
  }
  return 1 + extra;
}

// The orders of one period, each day's units drawn from their own stream.
std::vector<SitewideOrder> period_orders(const Scenario& scenario,
                                         const SitewideSimulation& sitewide, bool current) {
  std::vector<SitewideOrder> orders;
  const std::size_t begin = current ? sitewide.window_begin : 0;
  const std::size_t end = current ? sitewide.days.size() : sitewide.window_begin;
  for (std::size_t d = begin; d < end; ++d) {
    Random random(unit_seed(scenario.seed, {"sitewide-units", sitewide.days[d].date.to_string()}));
    for (const std::uint64_t cents : sitewide.order_cents[d]) {
      orders.push_back(SitewideOrder{cents, draw_units(random, scenario.store.units_per_order)});
    }
  }
  return orders;
}

std::vector<double> sorted_values(const std::vector<SitewideOrder>& orders) {
  std::vector<double> values;
  values.reserve(orders.size());
  for (const SitewideOrder& order : orders) {
    values.push_back(static_cast<double>(order.cents) / 100.0);
  }
  std::sort(values.begin(), values.end());
  return values;
}

// The `p` quantile of sorted values, interpolated between order statistics.
double quantile(const std::vector<double>& sorted, double p) {
  const double at = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

// Silverman's rule of thumb: 0.9 min(sd, IQR / 1.34) n^(-1/5), with a floor of one cent.
double bandwidth(const std::vector<double>& sorted) {
  const auto n = static_cast<double>(sorted.size());
  double mean = 0.0;
  for (const double value : sorted) {
    mean += value;
  }
  mean /= n;
  double squares = 0.0;
  for (const double value : sorted) {
    squares += (value - mean) * (value - mean);
  }
  const double sd = sorted.size() > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0;
  const double iqr = (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 1.34;
  double spread = iqr > 0.0 ? std::min(sd, iqr) : sd;
  if (!(spread > 0.0)) {
    spread = 1.0;
  }
  return std::max(0.01, 0.9 * spread * std::pow(n, -0.2));
}

// A Gaussian kernel density estimate of the sorted values at `x`.
double density(const std::vector<double>& sorted, double h, double x) {
  constexpr double k_inv_sqrt_2pi = 0.3989422804014327;
  // Kernels further than 9 bandwidths away add nothing a double can hold next to the rest.
  const auto first = std::lower_bound(sorted.begin(), sorted.end(), x - 9.0 * h);
  const auto last = std::upper_bound(sorted.begin(), sorted.end(), x + 9.0 * h);
  double sum = 0.0;
  for (auto it = first; it != last; ++it) {
    const double z = (x - *it) / h;
    sum += std::exp(-0.5 * z * z);
  }
  return sum * k_inv_sqrt_2pi / (static_cast<double>(sorted.size()) * h);
}

// Both periods' kernel density estimates and cumulative distributions on one grid.
void write_value_distribution(JsonWriter& json, const std::vector<double> (&periods)[2]) {
  std::vector<double> both = periods[0];
  both.insert(both.end(), periods[1].begin(), periods[1].end());
  std::sort(both.begin(), both.end());
  const double top = both.empty() ? 0.0 : std::ceil(quantile(both, k_distribution_top));
  const double h[2] = {periods[0].empty() ? 0.0 : bandwidth(periods[0]),
                       periods[1].empty() ? 0.0 : bandwidth(periods[1])};
  const char* const names[2] = {"current_period", "previous_period"};
  json.key("orderValueDistribution").begin_object();
  for (const bool cumulative : {false, true}) {
    json.key(cumulative ? "cumulative_distribution_function" : "kernel_density_estimate");
    json.begin_array();
    for (std::size_t i = 0; !both.empty() && i < k_distribution_points; ++i) {
      const double x =
          money(top * static_cast<double>(i) / static_cast<double>(k_distribution_points - 1));
      json.begin_object();
      json.key("x").value(x);
      for (std::size_t p = 0; p < 2; ++p) {
        const std::vector<double>& sorted = periods[p];
        json.key(names[p]);
        if (sorted.empty()) {
          json.null();
        } else if (cumulative) {
          const auto at_most = std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin();
          json.value(
              vendor_round(static_cast<double>(at_most) / static_cast<double>(sorted.size())));
        } else {
          json.value(vendor_round(density(sorted, h[p], x)));
        }
      }
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

// The current period's orders by their number of units.
void write_order_breakdown(JsonWriter& json, const Scenario& scenario,
                           const std::vector<SitewideOrder>& current) {
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> by_units; // orders, cents
  std::uint64_t total_cents = 0;
  for (const SitewideOrder& order : current) {
    auto& [orders, cents] = by_units[order.units];
    ++orders;
    cents += order.cents;
    total_cents += order.cents;
  }
  const auto share = [](double part, double whole) {
    return whole == 0.0 ? 0.0 : vendor_round(part / whole);
  };
  const auto value_object = [&](std::string_view key, double value) -> JsonWriter& {
    return json.key(key).begin_object().key("value").value(value).end_object();
  };
  json.key("orderBreakdown").begin_array();
  for (const auto& [units, row] : by_units) {
    const double revenue = static_cast<double>(row.second) / 100.0;
    const double total_revenue = static_cast<double>(total_cents) / 100.0;
    json.begin_object();
    json.key("unit_quantity").value(units);
    json.key("n_orders").begin_object().key("value").value(row.first).end_object();
    value_object("net_revenue", money(revenue));
    costs ? value_object("gross_profit", money(revenue * margin)) : json.key("gross_profit").null();
    value_object("pct_orders_by_unit_quantity",
                 share(static_cast<double>(row.first), static_cast<double>(current.size())));
    value_object("pct_net_revenue_by_unit_quantity", share(revenue, total_revenue));
    // Profit is a constant share of revenue, so its shares are the revenue's.
    costs ? value_object("pct_gross_profit_by_unit_quantity", share(revenue, total_revenue))
          : json.key("pct_gross_profit_by_unit_quantity").null();
    json.end_object();
  }
  json.end_array();
}

std::string order_distribution_body(const Scenario& scenario,
                                    const std::vector<SitewideOrder>& current,
                                    const std::vector<SitewideOrder>& previous) {
  JsonWriter json(k_compact);
  json.begin_object();
  write_value_distribution(json, {sorted_values(current), sorted_values(previous)});
  write_order_breakdown(json, scenario, current);
  json.end_object();
  return json.finish();
}

// --- conversion funnel ------------------------------------------------------------------------

// Landing pages the conversion funnel shows by name; the rest are "Other".
constexpr std::size_t k_funnel_top = 5;

struct FunnelNode {
  std::string name;
  std::uint64_t step = 0;
  std::uint64_t value = 0;
};

struct FunnelLink {
  std::size_t source = 0;
  std::size_t target = 0;
  std::uint64_t step = 0;
  std::uint64_t value = 0;
};

struct Funnel {
  std::vector<FunnelNode> nodes;
  std::vector<FunnelLink> links;
  Tally all;
};

// The reporting window's landing pages: the top five by visitors and "Other", or one node
// without a landing page dimension.
std::vector<std::pair<std::string, Tally>> landing_pages(const Scenario& scenario,
                                                         const SitewideSimulation& sitewide) {
  std::vector<std::pair<std::string, Tally>> landing;
  const auto& dimensions = scenario.store.dimensions;
  const auto page = std::find_if(dimensions.begin(), dimensions.end(),
                                 [](const auto& d) { return d.name == "landing_page_full_path"; });
  if (page == dimensions.end()) {
    landing.emplace_back("All landing pages", window_tally(sitewide, true, std::nullopt));
    return landing;
  }
  const auto d = static_cast<std::size_t>(page - dimensions.begin());
  std::vector<std::pair<std::string, Tally>> pages;
  for (std::size_t v = 0; v < page->values.size(); ++v) {
    pages.emplace_back(page->values[v].label, window_tally(sitewide, true, std::pair{d, v}));
  }
  std::stable_sort(pages.begin(), pages.end(), [](const auto& a, const auto& b) {
    return a.second.visitors > b.second.visitors;
  });
  Tally other;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (i < k_funnel_top) {
      landing.push_back(pages[i]);
    } else {
      other.add(pages[i].second);
    }
  }
  if (pages.size() > k_funnel_top) {
    landing.emplace_back("Other", other);
  }
  return landing;
}

// Landing pages, then "Add to cart", "Checkout" and "Order", each step's leavers going to that
// step's "Bounced".
Funnel funnel_of(const std::vector<std::pair<std::string, Tally>>& landing) {
  Funnel funnel;
  auto& [nodes, links, all] = funnel;
  for (const auto& [name, tally] : landing) {
    nodes.push_back(FunnelNode{name, 0, tally.visitors});
    all.add(tally);
  }
  // Reached at each later step: added to cart, began checkout, ordered.
  const auto reached = [](const Tally& tally, std::size_t step) {
    return step == 1 ? tally.reached[0] : step == 2 ? tally.reached[1] : tally.orders;
  };
  const char* const step_names[] = {"", "Add to cart", "Checkout", "Order"};
  for (std::uint64_t step = 1; step <= 3; ++step) {
    const std::size_t onward = nodes.size();
    nodes.push_back(FunnelNode{step_names[step], step, reached(all, step)});
    const std::size_t bounced = nodes.size();
    const std::uint64_t before = step == 1 ? all.visitors : reached(all, step - 1);
    nodes.push_back(FunnelNode{"Bounced", step, before - reached(all, step)});
    if (step == 1) {
      for (std::size_t i = 0; i < landing.size(); ++i) {
        const Tally& tally = landing[i].second;
        links.push_back(FunnelLink{i, onward, 0, reached(tally, 1)});
        links.push_back(FunnelLink{i, bounced, 0, tally.visitors - reached(tally, 1)});
      }
    } else {
      const std::size_t from = onward - 2;
      links.push_back(FunnelLink{from, onward, step - 1, nodes[onward].value});
      links.push_back(FunnelLink{from, bounced, step - 1, nodes[bounced].value});
    }
  }
  return funnel;
}

// A Sankey diagram of the reporting window. Links name their nodes by index.
std::string conversion_funnel_body(const Scenario& scenario, const SitewideSimulation& sitewide) {
  const Funnel funnel = funnel_of(landing_pages(scenario, sitewide));
  const std::uint64_t visitors = funnel.all.visitors;
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("data").begin_object();
  json.key("nodes").begin_array();
  for (const FunnelNode& node : funnel.nodes) {
    json.begin_object();
    json.key("name").value(node.name);
    json.key("step").value(node.step);
    json.key("value").value(node.value);
    json.key("pct").value(visitors == 0 ? 0.0
                                        : vendor_round(static_cast<double>(node.value) /
                                                       static_cast<double>(visitors)));
    json.end_object();
  }
  json.end_array();
  json.key("links").begin_array();
  for (const FunnelLink& link : funnel.links) {
    json.begin_object();
    json.key("source").value(static_cast<std::uint64_t>(link.source));
    json.key("target").value(static_cast<std::uint64_t>(link.target));
    json.key("step").value(link.step);
    json.key("value").value(link.value);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_object();
  return json.finish();
}

// --- the sitewide responses -------------------------------------------------------------------

// The Feb-2026 single endpoint: a flat object for the window.
std::string legacy_body(const Scenario& scenario, const Tally& current) {
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("currency").value(scenario.store.currency_code);
  json.key("revenuePerVisitor")
      .value(current.visitors == 0
                 ? 0.0
                 : money(current.revenue() / static_cast<double>(current.visitors)));
  json.key("netRevenue").value(money(current.revenue()));
  json.key("visitors").value(current.visitors);
  json.end_object();
  return json.finish();
}

SnapshotSegment whole_store(const Scenario& scenario, const SitewideSimulation& sitewide) {
  return SnapshotSegment{sitewide_values(window_tally(sitewide, true, std::nullopt), scenario),
                         sitewide_values(window_tally(sitewide, false, std::nullopt), scenario),
                         std::nullopt, std::nullopt};
}

std::string snapshot_body(const Scenario& scenario, const SitewideSimulation& sitewide) {
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("All");
  write_snapshot_segment(json, scenario, whole_store(scenario, sitewide), nullptr, nullptr);
  json.end_object();
  return json.finish();
}

// One dimension's snapshot: each value's segment, and the store's total with the part of its
// change that comes from the visitor mix.
std::string audience_snapshot_body(const Scenario& scenario, const SitewideSimulation& sitewide,
                                   std::size_t d) {
  const model::SegmentDimension& dimension = scenario.store.dimensions[d];
  const Tally current = window_tally(sitewide, true, std::nullopt);
  const Tally previous = window_tally(sitewide, false, std::nullopt);
  const SnapshotSegment total = whole_store(scenario, sitewide);
  const auto share = [](const Tally& part, const Tally& whole) -> std::optional<double> {
    return whole.visitors == 0 ? std::nullopt
                               : std::optional<double>(static_cast<double>(part.visitors) /
                                                       static_cast<double>(whole.visitors));
  };
  std::vector<SnapshotSegment> parts;
  for (std::size_t v = 0; v < dimension.values.size(); ++v) {
    const Tally now = window_tally(sitewide, true, std::pair{d, v});
    const Tally before = window_tally(sitewide, false, std::pair{d, v});
    parts.push_back(SnapshotSegment{sitewide_values(now, scenario),
                                    sitewide_values(before, scenario), share(now, current),
                                    share(before, previous)});
  }
  JsonWriter json(k_compact);
  json.begin_object();
  for (std::size_t v = 0; v < dimension.values.size(); ++v) {
    json.key(dimension.values[v].label);
    write_snapshot_segment(json, scenario, parts[v], &total, nullptr);
  }
  json.key("__total");
  write_snapshot_segment(json, scenario, total, nullptr, &parts);
  json.end_object();
  return json.finish();
}

std::string sitewide_timeseries_body(const Scenario& scenario, const SitewideSimulation& sitewide) {
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("currency").value(scenario.store.currency_code);
  json.key("granularity").value("day");
  json.key("segments").begin_object();
  json.key("All").begin_object();
  json.key("data").begin_array();
  for (std::size_t d = sitewide.window_begin; d < sitewide.days.size(); ++d) {
    const SitewideValues values = sitewide_values(sitewide.days[d].arms[0], scenario);
    json.begin_object();
    json.key("dt").value(date_time(sitewide.days[d].date));
    for (const SitewideMetric& metric : k_sitewide_metrics) {
      json.key(metric.name).value(shown(metric, values.*metric.field));
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_object();
  json.end_object();
  return json.finish();
}

// A POST to one sitewide endpoint; none is the deprecated flat endpoint.
contract::ApiRequest sitewide_request(std::string_view endpoint, std::string body) {
  return {std::string(contract::intelligems::k_source),
          "POST",
          endpoint.empty() ? contract::intelligems::legacy_sitewide_path()
                           : contract::intelligems::sitewide_path(endpoint),
          {},
          std::move(body)};
}

} // namespace

void write_sitewide(const Scenario& scenario, const SitewideSimulation& sitewide, Output& output) {
  const model::SitewideTraffic& traffic = *scenario.store.sitewide;
  // The window's first and last second, open for more fields.
  const std::string window_body = R"({"start":")" + traffic.start.to_string() +
                                  R"(T00:00:00+00:00","end":")" + traffic.end.to_string() +
                                  R"(T23:59:59+00:00")";
  const std::string legacy_window = R"({"start":")" + traffic.start.to_string() +
                                    R"(T00:00:00.000Z","end":")" + traffic.end.to_string() +
                                    R"(T23:59:59.999Z"})";
  output.add("intelligems/sitewide/legacy.json",
             legacy_body(scenario, window_tally(sitewide, true, std::nullopt)),
             sitewide_request("", legacy_window));
  output.add("intelligems/sitewide/snapshot.json", snapshot_body(scenario, sitewide),
             sitewide_request("snapshot", window_body + "}"));
  for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
    const std::string& name = scenario.store.dimensions[d].name;
    const std::string feature = R"(,"feature":{"name":"audience","audience":")" + name + R"("}})";
    output.add("intelligems/sitewide/snapshot.audience." + name + ".json",
               audience_snapshot_body(scenario, sitewide, d),
               sitewide_request("snapshot", window_body + feature));
  }
  output.add("intelligems/sitewide/timeseries.json", sitewide_timeseries_body(scenario, sitewide),
             sitewide_request("timeseries", window_body + ",\"granularity\":\"day\"}"));
  output.add("intelligems/sitewide/order-distribution.json",
             order_distribution_body(scenario, period_orders(scenario, sitewide, true),
                                     period_orders(scenario, sitewide, false)),
             sitewide_request("order-distribution", window_body + "}"));
  output.add("intelligems/sitewide/conversion-funnel.json",
             conversion_funnel_body(scenario, sitewide),
             sitewide_request("conversion-funnel", window_body + "}"));
}

} // namespace reckon::simulate::detail::intelligems
