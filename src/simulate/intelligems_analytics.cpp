// Intelligems analytics responses: the overview, one per audience dimension and one per day
// window, each with vendor-style statistics, and each experience's daily timeseries.
#include "intelligems.hpp"
#include "random.hpp"

#include "reckon/stats/parallel.hpp"
#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <span>

namespace reckon::simulate::detail::intelligems {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;

// Country and landing page audiences keep only the top segments by visitors unless the
// request names a topN. The simulated client asks for the most, as `reckon fetch` does.
constexpr auto k_requested_top_n = static_cast<std::size_t>(contract::intelligems::k_max_top_n);

VendorArmInput vendor_input(const Tally& tally, Input input, double margin) {
  VendorArmInput arm;
  arm.visitors = tally.visitors;
  arm.orders = tally.orders;
  arm.value_sum = tally.revenue();
  arm.value_sq = tally.revenue_sq;
  switch (input) {
  case Input::orders:
  case Input::revenue:
    arm.events = tally.orders;
    break;
  case Input::profit:
    arm.events = tally.orders;
    arm.value_sum *= margin;
    arm.value_sq *= margin * margin;
    break;
  case Input::add_to_cart:
    arm.events = tally.reached[0];
    break;
  case Input::checkout_begin:
    arm.events = tally.reached[1];
    break;
  case Input::contact_info:
    arm.events = tally.reached[2];
    break;
  case Input::address_submitted:
    arm.events = tally.reached[3];
    break;
  case Input::abandoned_cart:
    arm.events = tally.abandoned_cart;
    break;
  case Input::abandoned_checkout:
    arm.events = tally.abandoned_checkout;
    break;
  }
  return arm;
}

void compute_statistics(const Scenario& scenario, AnalyticsSlice& slice) {
  const ScenarioExperiment& experiment = scenario.experiments[slice.experiment];
  const std::size_t control = experiment.control_index();
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);
  slice.statistics.resize(slice.labels.size());
  for (std::size_t label = 0; label < slice.labels.size(); ++label) {
    const std::uint64_t seed = unit_seed(
        scenario.seed, {"vendor-statistics", experiment.id, slice.response, slice.labels[label]});
    auto& by_metric = slice.statistics[label];
    by_metric.resize(k_stat_metric_count);
    for (std::size_t m = 0; m < k_stat_metric_count; ++m) {
      const StatMetric& metric = k_stat_metrics[m];
      if (metric.needs_costs && !costs) {
        continue;
      }
      std::vector<VendorArmInput> arms;
      for (const Tally& tally : slice.tallies[label]) {
        arms.push_back(vendor_input(tally, metric.input, margin));
      }
      by_metric[m] = vendor_statistics(metric.kind, arms, control, metric.lower_is_better, seed,
                                       util::stable_hash(metric.name));
    }
  }
}

// --- analytics rows ---------------------------------------------------------------------------

std::optional<double>* field_of(VendorStatistic& statistic, std::string_view field) {
  if (field == "value") {
    return &statistic.value;
  }
  if (field == "ci_low") {
    return &statistic.ci_low;
  }
  if (field == "ci_high") {
    return &statistic.ci_high;
  }
  if (field == "plus_minus") {
    return &statistic.plus_minus;
  }
  if (field == "p2bb") {
    return &statistic.p2bb;
  }
  if (field == "p2bc") {
    return &statistic.p2bc;
  }
  if (field == "uplift.value") {
    return &statistic.uplift.value;
  }
  if (field == "uplift.ci_low") {
    return &statistic.uplift.ci_low;
  }
  if (field == "uplift.ci_high") {
    return &statistic.uplift.ci_high;
  }
  return &statistic.uplift.plus_minus;
}

double formatted_as(std::string_view field, double value) {
  if (field == "p2bb") {
    return vendor_p2bb(std::clamp(value, 0.0, 1.0));
  }
  if (field == "p2bc") {
    return round_to(std::clamp(value, 0.0, 1.0), 4);
  }
  if (field == "uplift.plus_minus") {
    return round_to(value, 4);
  }
  return vendor_round(value);
}

void write_statistic(JsonWriter& json, const VendorStatistic& statistic) {
  json.begin_object();
  json.key("value").value(statistic.value);
  json.key("ci_low").value(statistic.ci_low);
  json.key("ci_high").value(statistic.ci_high);
  json.key("plus_minus").value(statistic.plus_minus);
  json.key("p2bb").value(statistic.p2bb);
  if (!statistic.is_control) {
    json.key("p2bc").value(statistic.p2bc);
    json.key("uplift").begin_object();
    json.key("value").value(statistic.uplift.value);
    json.key("ci_low").value(statistic.uplift.ci_low);
    json.key("ci_high").value(statistic.uplift.ci_high);
    json.key("plus_minus").value(statistic.uplift.plus_minus);
    json.end_object();
  }
  json.end_object();
}

void write_count(JsonWriter& json, std::string_view key, std::uint64_t count) {
  json.key(key).begin_object().key("value").value(count).end_object();
}

struct RowPlace {
  const std::string* file;
  std::size_t row;
};

void write_row(JsonWriter& json, const Scenario& scenario, const Ids& ids,
               const AnalyticsSlice& slice, std::size_t label, std::size_t arm, RowPlace place,
               Output& output) {
  const ScenarioExperiment& experiment = scenario.experiments[slice.experiment];
  const Tally& tally = slice.tallies[label][arm];
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);
  const bool audience = !slice.audience.empty();

  // The statistic as reported: the true one, unless the scenario plants an error in it.
  const auto reported = [&](std::size_t m) {
    VendorStatistic statistic = slice.statistics[label][m][arm];
    for (const model::VendorErrorPlan& plan : experiment.vendor_errors) {
      if (plan.response != slice.response || plan.metric != k_stat_metrics[m].name ||
          plan.variation != experiment.variations[arm].id ||
          (audience && plan.segment != slice.labels[label])) {
        continue;
      }
      std::optional<double>* field = field_of(statistic, plan.field);
      PlantedError planted{experiment.id,
                           *place.file,
                           "metrics[" + std::to_string(place.row) + "]." + plan.metric + "." +
                               plan.field,
                           plan.variation,
                           audience ? plan.segment : std::string(),
                           plan.metric,
                           plan.field,
                           *field,
                           0.0};
      planted.reported = formatted_as(plan.field, field->value_or(0.0) + plan.offset);
      *field = planted.reported;
      output.planted.push_back(std::move(planted));
    }
    return statistic;
  };
  const auto statistic = [&](std::string_view name) {
    json.key(name);
    write_statistic(json, reported(metric_index(name)));
  };

  json.begin_object();
  json.key("variation_id").value(ids.variations[slice.experiment][arm]);
  if (audience) {
    json.key("audience").value(slice.labels[label]);
  }
  write_count(json, "n_visitors", tally.visitors);
  write_count(json, "n_orders", tally.orders);
  json.key("net_revenue").begin_object().key("value").value(money(tally.revenue())).end_object();
  statistic("conversion_rate");
  statistic("net_revenue_per_visitor");
  statistic("net_revenue_per_order");
  if (costs) {
    json.key("gross_profit").begin_object();
    json.key("value").value(money(tally.revenue() * margin));
    json.end_object();
    statistic("gross_profit_per_visitor");
    statistic("gross_profit_per_order");
  } else {
    // Without costs of goods the profit metrics are a whole null, as observed.
    json.key("gross_profit").null();
    json.key("gross_profit_per_visitor").null();
    json.key("gross_profit_per_order").null();
  }
  json.key("pct_revenue_with_cogs").begin_object().key("value").value(costs ? 1 : 0).end_object();
  for (const char* name :
       {"add_to_cart_rate", "checkout_begin_rate", "checkout_enter_contact_info_rate",
        "checkout_address_submitted_rate", "abandoned_cart_rate", "abandoned_checkout_rate"}) {
    statistic(name);
  }
  write_count(json, "n_visitors_added_to_cart", tally.reached[0]);
  write_count(json, "n_visitors_checkout_started", tally.reached[1]);
  write_count(json, "n_visitors_checkout_contact_info_submitted", tally.reached[2]);
  write_count(json, "n_visitors_checkout_address_info_submitted", tally.reached[3]);
  write_count(json, "n_visitors_abandoned_cart", tally.abandoned_cart);
  write_count(json, "n_visitors_abandoned_checkout", tally.abandoned_checkout);
  write_count(json, "n_visitors_ordered", tally.orders);
  json.end_object();
}

// The arms in "store order": by variation id, not by display order.
std::vector<std::size_t> store_order(const Ids& ids, std::size_t e) {
  std::vector<std::size_t> arms(ids.variations[e].size());
  std::iota(arms.begin(), arms.end(), std::size_t{0});
  std::sort(arms.begin(), arms.end(), [&](std::size_t a, std::size_t b) {
    return ids.variations[e][a] < ids.variations[e][b];
  });
  return arms;
}

void write_analytics_variations(JsonWriter& json, const Scenario& scenario, const Ids& ids,
                                std::size_t e) {
  const ScenarioExperiment& experiment = scenario.experiments[e];
  json.key("variations").begin_array();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    const auto change = price_change(scenario, experiment, arm);
    json.begin_object();
    json.key("id").value(ids.variations[e][arm]);
    json.key("experienceId").value(ids.experience[e]);
    json.key("name").value(experiment.variations[arm].name);
    json.key("percentage").value(experiment.variations[arm].allocation_percent);
    json.key("isControl").value(experiment.variations[arm].is_control);
    json.key("order").value(static_cast<std::uint64_t>(arm));
    json.key("priceChange");
    change ? json.value(*change) : json.null();
    json.key("priceChangeUnit");
    change ? json.value("percent") : json.null();
    json.end_object();
  }
  json.end_array();
}

// An audience's labels by visitors over all variations, descending; "Other" and "Unknown"
// pinned last.
void write_audience_order(JsonWriter& json, const AnalyticsSlice& slice) {
  const auto visitors = [&](std::size_t label) {
    std::uint64_t total = 0;
    for (const Tally& tally : slice.tallies[label]) {
      total += tally.visitors;
    }
    return total;
  };
  const auto pinned = [&](std::size_t label) {
    return slice.labels[label] == "Other" ? 1 : slice.labels[label] == "Unknown" ? 2 : 0;
  };
  std::vector<std::size_t> order(slice.labels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (pinned(a) != pinned(b)) {
      return pinned(a) < pinned(b);
    }
    if (visitors(a) != visitors(b)) {
      return visitors(a) > visitors(b);
    }
    return slice.labels[a] < slice.labels[b];
  });
  for (const std::size_t label : order) {
    json.value(slice.labels[label]);
  }
}

std::string analytics_body(const Scenario& scenario, const Ids& ids, const AnalyticsSlice& slice,
                           const ExperimentSimulation& simulation, const std::string& file,
                           Output& output) {
  const std::size_t e = slice.experiment;
  const ScenarioExperiment& experiment = scenario.experiments[e];
  const bool audience = !slice.audience.empty();
  const bool overview = slice.response == "overview";
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("datasetId").value(audience ? "variation_audience" : "variation_overview");
  json.key("latestRunTs")
      .value(static_cast<std::uint64_t>((scenario.as_of_seconds - 2 * 3600) * 1000));
  json.key("cogsConfigured").value(costs);
  json.key("cogsCoveragePct").value(costs ? 1 : 0);
  json.key("experienceId").value(ids.experience[e]);
  json.key("experienceName").value(experiment.name);
  if (overview) {
    write_verdict(json, scenario, ids, slice, simulation);
  }
  json.key("metrics").begin_array();
  std::vector<std::size_t> labels(slice.labels.size());
  std::iota(labels.begin(), labels.end(), std::size_t{0});
  std::sort(labels.begin(), labels.end(),
            [&](std::size_t a, std::size_t b) { return slice.labels[a] < slice.labels[b]; });
  std::size_t row = 0;
  for (const std::size_t label : labels) {
    for (const std::size_t arm : store_order(ids, e)) {
      write_row(json, scenario, ids, slice, label, arm, RowPlace{&file, row++}, output);
    }
  }
  json.end_array();
  write_analytics_variations(json, scenario, ids, e);
  json.key("audienceOrder").begin_array();
  if (audience) {
    write_audience_order(json, slice);
  }
  json.end_array();
  json.key("histogram").begin_array().end_array();
  json.key("kde").begin_array().end_array();
  json.key("cdf").begin_array().end_array();
  json.end_object();
  return json.finish();
}

std::string timeseries_body(const Scenario& scenario, const Ids& ids, std::size_t e,
                            const ExperimentSimulation& simulation) {
  const ScenarioExperiment& experiment = scenario.experiments[e];
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("currency").value(scenario.store.currency_code);
  json.key("granularity").value("day");
  json.key("mode").value("noncumulative");
  json.key("experienceId").value(ids.experience[e]);
  json.key("experienceName").value(experiment.name);
  json.key("variations").begin_array();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    json.begin_object();
    json.key("id").value(ids.variations[e][arm]);
    json.key("name").value(experiment.variations[arm].name);
    json.key("isControl").value(experiment.variations[arm].is_control);
    json.end_object();
  }
  json.end_array();
  json.key("cogsConfigured").value(costs);
  json.key("cogsCoveragePct").value(costs ? 1 : 0);
  json.key("segments").begin_object();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    json.key(experiment.variations[arm].name).begin_object();
    json.key("data").begin_array();
    for (const DayTallies& day : simulation.days) {
      const Tally& tally = day.arms[arm];
      const auto rounded = [](std::optional<double> value) {
        return value ? std::optional<double>(vendor_round(*value)) : std::nullopt;
      };
      json.begin_object();
      json.key("dt").value(date_time(day.date));
      json.key("conversion_rate").value(rounded(point_of("conversion_rate", tally, margin)));
      json.key("net_revenue_per_visitor")
          .value(rounded(point_of("net_revenue_per_visitor", tally, margin)));
      json.key("gross_profit_per_visitor");
      costs ? json.value(rounded(point_of("gross_profit_per_visitor", tally, margin)))
            : json.null();
      json.key("aov").value(rounded(point_of("net_revenue_per_order", tally, margin)));
      json.key("n_visitors").value(tally.visitors);
      json.key("n_orders").value(tally.orders);
      json.key("net_revenue").value(money(tally.revenue()));
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_object();
  json.end_object();
  return json.finish();
}

// --- slices of one experiment -----------------------------------------------------------------

// The audience view by dimension `d` of `days` (the test's or one of them): a group of rows
// per value with visitors, as the API's grouping gives them; of a capped dimension only the
// values with the most visitors, as many as the request asks for.
AnalyticsSlice audience_slice(const Scenario& scenario, std::size_t e,
                              std::span<const DayTallies> days, std::size_t d,
                              std::optional<model::Date> day) {
  const model::SegmentDimension& dimension = scenario.store.dimensions[d];
  const std::size_t arm_count = scenario.experiments[e].variations.size();
  std::string response = "audience." + dimension.name;
  if (day) {
    response = "day." + day->to_string() + "." + response;
  }
  AnalyticsSlice slice{e, std::move(response), day, dimension.name, {}, {}, {}};
  std::vector<std::vector<Tally>> tallies;
  std::vector<std::pair<std::uint64_t, std::size_t>> by_visitors;
  for (std::size_t v = 0; v < dimension.values.size(); ++v) {
    tallies.push_back(sum_segment(days, arm_count, d, v));
    std::uint64_t visitors = 0;
    for (const Tally& tally : tallies.back()) {
      visitors += tally.visitors;
    }
    by_visitors.emplace_back(visitors, v);
  }
  const bool capped = contract::intelligems::is_capped(dimension.name);
  std::vector<bool> keep(dimension.values.size(), !capped);
  if (capped) {
    std::vector<std::pair<std::uint64_t, std::size_t>> most = by_visitors;
    std::stable_sort(most.begin(), most.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < std::min(k_requested_top_n, most.size()); ++i) {
      keep[most[i].second] = true;
    }
  }
  for (std::size_t v = 0; v < dimension.values.size(); ++v) {
    if (keep[v] && by_visitors[v].first > 0) {
      slice.labels.push_back(dimension.values[v].label);
      slice.tallies.push_back(std::move(tallies[v]));
    }
  }
  return slice;
}

// The overview, the audience views, the day windows and then, per day, the audience views of
// the scenario's day segments.
std::vector<AnalyticsSlice> slices_of(const Scenario& scenario, std::size_t e,
                                      const ExperimentSimulation& simulation) {
  const std::size_t arm_count = scenario.experiments[e].variations.size();
  std::vector<AnalyticsSlice> slices;
  slices.push_back(AnalyticsSlice{
      e, "overview", std::nullopt, {}, {""}, {sum_arms(simulation.days, arm_count)}, {}});
  for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
    slices.push_back(audience_slice(scenario, e, simulation.days, d, std::nullopt));
  }
  for (const DayTallies& day : simulation.days) {
    slices.push_back(
        AnalyticsSlice{e, "day." + day.date.to_string(), day.date, {}, {""}, {day.arms}, {}});
  }
  const std::vector<std::size_t> day_segments = day_segment_dimensions(scenario);
  for (const DayTallies& day : simulation.days) {
    for (const std::size_t d : day_segments) {
      slices.push_back(audience_slice(scenario, e, std::span(&day, 1), d, day.date));
    }
  }
  return slices;
}

std::string seconds_text(std::int64_t seconds) {
  return std::to_string(seconds);
}

// The request body that asks for one slice: the view, an audience view's dimension (and topN
// where the API caps it), a day window's bounds.
std::string request_body(const AnalyticsSlice& slice) {
  if (slice.response == "overview") {
    return R"({"view":"overview","testResult":true})";
  }
  std::string body = R"({"view":"overview")";
  if (!slice.audience.empty()) {
    body = R"({"view":"audience","audience":")" + slice.audience + '"';
    if (contract::intelligems::is_capped(slice.audience)) {
      body += R"(,"topN":)" + std::to_string(k_requested_top_n);
    }
  }
  if (slice.day) {
    body += R"(,"startTs":")" + seconds_text(slice.day->epoch_seconds()) + R"(","endTs":")" +
            seconds_text(slice.day->epoch_seconds() + 86'399) + '"';
  }
  return body + '}';
}

} // namespace

void write_analytics(const Scenario& scenario, const Simulation& simulation, const Ids& ids,
                     const std::vector<std::size_t>& listed, Output& output) {
  // Every analytics slice's statistics, computed in parallel into their own slots.
  std::vector<AnalyticsSlice> slices;
  for (const std::size_t e : listed) {
    if (scenario.experiments[e].status == model::ScenarioStatus::pending) {
      continue;
    }
    for (AnalyticsSlice& slice : slices_of(scenario, e, simulation.experiments[e])) {
      slices.push_back(std::move(slice));
    }
  }
  stats::parallel_for(slices.size(),
                      [&](std::size_t i) { compute_statistics(scenario, slices[i]); });

  for (const AnalyticsSlice& slice : slices) {
    const std::size_t e = slice.experiment;
    const std::string file =
        "intelligems/analytics/" + ids.experience[e] + "/" + slice.response + ".json";
    std::string content =
        analytics_body(scenario, ids, slice, simulation.experiments[e], file, output);
    contract::ApiRequest request{std::string(contract::intelligems::k_source),
                                 "POST",
                                 contract::intelligems::analytics_resource_path(ids.experience[e]),
                                 {},
                                 request_body(slice)};
    if (slice.day) {
      // The simulated vendor's days are UTC days.
      request.day = contract::DayWindow{slice.day->to_string(), "UTC"};
    }
    output.add(file, std::move(content), std::move(request));
    if (slice.response == "overview") {
      output.add("intelligems/analytics/" + ids.experience[e] + "/timeseries.json",
                 timeseries_body(scenario, ids, e, simulation.experiments[e]),
                 contract::ApiRequest{
                     std::string(contract::intelligems::k_source),
                     "POST",
                     contract::intelligems::timeseries_path(ids.experience[e]),
                     {},
                     R"({"granularity":"day","mode":"noncumulative","metrics":["conversion_rate",)"
                     R"("net_revenue_per_visitor","gross_profit_per_visitor","aov","n_visitors",)"
                     R"("n_orders","net_revenue"]})"});
    }
  }
}

std::size_t metric_index(std::string_view name) {
  for (std::size_t i = 0; i < k_stat_metric_count; ++i) {
    if (k_stat_metrics[i].name == name) {
      return i;
    }
  }
  assert(false && "unknown metric");
  return 0;
}

std::optional<double> point_of(std::string_view metric, const Tally& tally, double margin) {
  const auto ratio = [](double numerator, std::uint64_t denominator) -> std::optional<double> {
    if (denominator == 0) {
      return std::nullopt;
    }
    return numerator / static_cast<double>(denominator);
  };
  const std::size_t m = metric_index(metric);
  const VendorArmInput input = vendor_input(tally, k_stat_metrics[m].input, margin);
  switch (k_stat_metrics[m].kind) {
  case VendorMetricKind::rate:
    return ratio(static_cast<double>(input.events), input.visitors);
  case VendorMetricKind::per_order_value:
    return ratio(input.value_sum, input.orders);
  case VendorMetricKind::per_visitor_value:
    return ratio(input.value_sum, input.visitors);
  }
  return std::nullopt;
}

} // namespace reckon::simulate::detail::intelligems
