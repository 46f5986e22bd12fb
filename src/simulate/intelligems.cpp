// Intelligems External API (/v25-10-beta) response bodies, shaped as
// research/intelligems-api.md describes them: the experiences list (paginated), wrapped details,
// analytics overview, audience and day-window views with vendor-style statistics, the
// timeseries endpoint, and both generations of sitewide analytics.
#include "output.hpp"
#include "random.hpp"

#include "reckon/simulate/vendor_stats.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/util/json_writer.hpp"
#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

namespace reckon::simulate::detail {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;

constexpr auto k_compact = JsonWriter::Layout::compact;
constexpr std::string_view k_prefix = "/v25-10-beta";
// Country and landing page audiences keep only the top segments by visitors: 10 unless the
// request names a topN. The simulated client asks for this many, as `reckon fetch` does.
constexpr std::size_t k_requested_top_n = 1000;

bool is_capped_dimension(std::string_view dimension) {
  return dimension == "country_code" || dimension == "landing_page_full_path";
}

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

constexpr StatMetric k_stat_metrics[] = {
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
constexpr std::size_t k_stat_metric_count = std::size(k_stat_metrics);

std::size_t metric_index(std::string_view name) {
  for (std::size_t i = 0; i < k_stat_metric_count; ++i) {
    if (k_stat_metrics[i].name == name) {
      return i;
    }
  }
  assert(false && "unknown metric");
  return 0;
}

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

// --- one analytics response's data ------------------------------------------------------------

// The data behind one analytics response: one group of rows per label (a single unlabelled
// group for overview and day windows), each with every arm's tally and statistics.
struct AnalyticsSlice {
  std::size_t experiment = 0;
  std::string response; // overview, audience.<dimension>, day.<date>
  std::optional<model::Date> day;
  std::vector<std::string> labels;
  std::vector<std::vector<Tally>> tallies;                           // [label][arm]
  std::vector<std::vector<std::vector<VendorStatistic>>> statistics; // [label][metric][arm]
};

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

// --- ids and shared pieces --------------------------------------------------------------------

struct Ids {
  std::string organization;
  std::vector<std::string> experience;              // [experiment]
  std::vector<std::vector<std::string>> variations; // [experiment][arm]
};

Ids make_ids(const Scenario& scenario) {
  Ids ids;
  ids.organization = organization_id(scenario);
  for (const ScenarioExperiment& experiment : scenario.experiments) {
    SourceIds one = source_ids(scenario, experiment);
    ids.experience.push_back(std::move(one.experiment));
    ids.variations.push_back(std::move(one.variations));
  }
  return ids;
}

std::string camel_case_metric(std::string_view name) {
  static const std::map<std::string_view, std::string_view> k_names{
      {"conversion_rate", "conversionRate"},
      {"net_revenue_per_visitor", "netRevenuePerVisitor"},
      {"net_revenue_per_order", "netRevenuePerOrder"},
      {"gross_profit_per_visitor", "profitPerVisitor"},
      {"gross_profit_per_order", "profitPerOrder"},
      {"add_to_cart_rate", "addToCartRate"},
      {"checkout_begin_rate", "checkoutBeginRate"},
      {"checkout_enter_contact_info_rate", "checkoutEnterContactInfoRate"},
      {"checkout_address_submitted_rate", "checkoutAddressSubmittedRate"},
      {"abandoned_cart_rate", "abandonedCartRate"},
      {"abandoned_checkout_rate", "abandonedCheckoutRate"}};
  const auto found = k_names.find(name);
  return std::string(found != k_names.end() ? found->second : name);
}

// A price test's change for a variation, from its mean order value against the control's.
std::optional<std::string> price_change(const Scenario& scenario,
                                        const ScenarioExperiment& experiment, std::size_t arm) {
  if (experiment.type != "pricing" || experiment.variations[arm].is_control) {
    return std::nullopt;
  }
  const auto mean = [&](std::size_t i) {
    return experiment.variations[i].order_value.value_or(scenario.store.order_value).mean;
  };
  const double percent = (mean(arm) / mean(experiment.control_index()) - 1.0) * 100.0;
  return std::to_string(static_cast<long long>(std::llround(percent)));
}

std::string_view category_of(std::string_view type) {
  return type.rfind("personalization", 0) == 0 ? "personalization" : "experiment";
}

void write_test_types(JsonWriter& json, std::string_view type) {
  const bool content = type.rfind("content/", 0) == 0;
  const std::pair<std::string_view, bool> flags[] = {
      {"hasTestPricing", type == "pricing"},
      {"hasTestShipping", type == "shipping"},
      {"hasTestCampaign", type == "personalization/offer"},
      {"hasTestContent", content},
      {"hasTestContentUrl", type == "content/url"},
      {"hasTestContentAdvanced", type == "content/advanced"},
      {"hasTestContentOnsite", type == "content/onsiteEdits"},
      {"hasTestContentTemplate", type == "content/template"},
      {"hasTestContentTheme", type == "content/theme"},
      {"hasTestOnsiteInjections", false},
      {"hasTestCheckoutBlocks", type == "checkoutBlock"},
      {"hasTestPostPurchase", type == "postPurchase"},
      {"hasTestOnsiteUpsell", type == "onsiteUpsell"}};
  json.begin_object();
  for (const auto& [name, flag] : flags) {
    json.key(name).value(flag);
  }
  json.end_object();
}

void write_optional_ms(JsonWriter& json, std::string_view key, std::optional<std::int64_t> ms) {
  json.key(key);
  if (ms) {
    json.value(static_cast<std::uint64_t>(*ms));
  } else {
    json.null();
  }
}

std::string performer(const Scenario& scenario) {
  return "growth@" + scenario.store.domain;
}

// --- experience objects -----------------------------------------------------------------------

void write_actions(JsonWriter& json, const Scenario& scenario, const Ids& ids, std::size_t e,
                   bool detail) {
  const Lifecycle times = lifecycle(scenario, scenario.experiments[e]);
  json.key("experienceActions").begin_array();
  const std::pair<std::string_view, std::optional<std::int64_t>> actions[] = {
      {"start", times.started_ms}, {"pause", times.paused_ms}, {"end", times.ended_ms}};
  for (const auto& [action, at] : actions) {
    if (!at) {
      continue;
    }
    json.begin_object();
    json.key("id").value(stable_uuid({scenario.store.name, "action", ids.experience[e], action}));
    json.key("experienceId").value(ids.experience[e]);
    json.key("action").value(action);
    json.key("actionTs").value(static_cast<std::uint64_t>(*at));
    json.key("performedBy");
    if (detail) {
      json.value(performer(scenario));
    } else {
      json.null();
    }
    json.end_object();
  }
  json.end_array();
}

void write_variation(JsonWriter& json, const Scenario& scenario, const Ids& ids, std::size_t e,
                     std::size_t arm, bool detail) {
  const ScenarioExperiment& experiment = scenario.experiments[e];
  const model::ScenarioVariation& variation = experiment.variations[arm];
  json.begin_object();
  json.key("id").value(ids.variations[e][arm]);
  json.key("experienceId").value(ids.experience[e]);
  json.key("name").value(variation.name);
  json.key("percentage").value(variation.allocation_percent);
  json.key("isControl").value(variation.is_control);
  json.key("order").value(static_cast<std::uint64_t>(arm));
  json.key("functionSyncError").null();
  json.key("testExperienceId").null();
  json.key("offerId").null();
  json.key("redirects").begin_array().end_array();
  if (detail) {
    const auto change = price_change(scenario, experiment, arm);
    json.key("priceChange");
    change ? json.value(*change) : json.null();
    json.key("priceChangeUnit");
    change ? json.value("percent") : json.null();
    json.key("priceRoundingType").null();
    json.key("priceRoundingAmount").null();
    json.key("onsiteEdits").begin_array().end_array();
    json.key("onsiteInjections").begin_array().end_array();
    json.key("offer").null();
    json.key("shippingRateGroups").begin_array().end_array();
    json.key("excludeProducts").begin_array().end_array();
    json.key("includeProducts").begin_array().end_array();
    json.key("userInterfaces").begin_array().end_array();
    json.key("checkoutBlocks").begin_array().end_array();
  }
  json.end_object();
}

void write_experience(JsonWriter& json, const Scenario& scenario, const Ids& ids, std::size_t e,
                      bool detail) {
  const ScenarioExperiment& experiment = scenario.experiments[e];
  const Lifecycle times = lifecycle(scenario, experiment);
  json.begin_object();
  json.key("id").value(ids.experience[e]);
  json.key("name").value(experiment.name);
  json.key("description");
  experiment.description.empty() ? json.null() : json.value(experiment.description);
  json.key("status").value(model::to_string(experiment.status));
  json.key("category").value(category_of(experiment.type));
  json.key("type").value(experiment.type);
  json.key("testTypes");
  write_test_types(json, experiment.type);
  json.key("organizationId").value(ids.organization);
  json.key("createdAtTs").value(static_cast<std::uint64_t>(times.created_ms));
  write_optional_ms(json, "startedAtTs", times.started_ms);
  write_optional_ms(json, "endedAtTs", times.ended_ms);
  write_optional_ms(json, "pausedAtTs", times.paused_ms);
  json.key("archivedAtTs").null();
  json.key("lastUpdateTs").value(static_cast<std::uint64_t>(times.last_update_ms));
  json.key("isPreview").value(experiment.status == model::ScenarioStatus::pending);
  json.key("isDeleted").value(false);
  json.key("isExternal").value(false);
  json.key("linkBaseUrl").value("https://" + scenario.store.domain);
  json.key("requiresLink").value(false);
  json.key("productVariantCount").value(experiment.type == "pricing" ? 24 : 0);
  json.key("previewPath").value("/");
  json.key("audience").null();
  json.key("currency").begin_object();
  json.key("code").value(scenario.store.currency_code);
  json.key("symbol").value(scenario.store.currency_symbol);
  json.end_object();
  json.key("experienceAnalysis").begin_object();
  json.key("analyticsViewType").value("test_orders_only");
  json.end_object();
  write_actions(json, scenario, ids, e, detail);
  json.key("experiencePageTargeting").begin_array().end_array();
  json.key("experienceProductTargeting").begin_array().end_array();
  if (!detail) {
    json.key("hasSchedule").value(false);
    json.key("history").begin_array().end_array();
  }
  json.key("sourceAction").null();
  json.key("sourceExperienceId").null();
  json.key("variations").begin_array();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    write_variation(json, scenario, ids, e, arm, detail);
  }
  json.end_array();
  if (detail) {
    json.key("experienceCustomMetrics").begin_array().end_array();
    json.key("experienceIntegrations").begin_array().end_array();
    json.key("experienceKeyMetrics").begin_array();
    std::vector<std::string> keys{experiment.primary_metric};
    for (const char* secondary : {"conversion_rate", "net_revenue_per_order"}) {
      if (experiment.primary_metric != secondary) {
        keys.emplace_back(secondary);
      }
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      json.begin_object();
      json.key("id").value(
          stable_uuid({scenario.store.name, "key-metric", ids.experience[e], keys[i]}));
      json.key("experienceId").value(ids.experience[e]);
      json.key("order").value(static_cast<std::uint64_t>(i));
      json.key("isPrimary").value(i == 0);
      json.key("standardEventId").value(camel_case_metric(keys[i]));
      json.end_object();
    }
    json.end_array();
    json.key("shippingTestMethodDefinitions").begin_array().end_array();
    json.key("shippingCarrierProvider").value("intelligems");
  }
  json.end_object();
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
  const bool audience = slice.response.rfind("audience.", 0) == 0;

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

// The verdict block the API returns when asked with testResult: true (research §1.4.1). The
// ~300-orders and 7-day gate is observed; the thresholds of the verdicts are this simulator's.
void write_test_result(JsonWriter& json, const Scenario& scenario, const Ids& ids,
                       const AnalyticsSlice& overview, const ExperimentSimulation& simulation) {
  const ScenarioExperiment& experiment = scenario.experiments[overview.experiment];
  const std::size_t e = overview.experiment;
  const std::size_t control = experiment.control_index();
  const Lifecycle times = lifecycle(scenario, experiment);
  const auto runtime_days = static_cast<std::uint64_t>(std::ceil(times.elapsed_days - 1e-9));
  const std::vector<Tally>& arms = overview.tallies[0];
  const std::size_t primary = metric_index(experiment.primary_metric);
  const auto& primary_stats = overview.statistics[0][primary];
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);

  std::optional<std::size_t> best;
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    if (arm != control && primary_stats.size() == arms.size() && primary_stats[arm].p2bb &&
        (!best || *primary_stats[arm].p2bb > *primary_stats[*best].p2bb)) {
      best = arm;
    }
  }
  const bool enough =
      std::all_of(arms.begin(), arms.end(), [](const Tally& t) { return t.orders >= 300; }) &&
      runtime_days >= 7 && best.has_value();
  const auto orders_per_variant = [&] {
    json.key("orders_per_variant").begin_object();
    for (std::size_t arm = 0; arm < arms.size(); ++arm) {
      json.key(ids.variations[e][arm]).value(arms[arm].orders);
    }
    json.end_object();
  };
  json.key("testResult").begin_object();
  if (!enough) {
    json.key("verdict").value("not_ready");
    json.key("runtime_days").value(runtime_days);
    orders_per_variant();
    json.end_object();
    return;
  }
  const VendorStatistic& challenger = primary_stats[*best];
  const double p2bb = challenger.p2bb.value_or(0.0);
  const double control_p2bb = primary_stats[control].p2bb.value_or(0.0);
  const double uplift = challenger.uplift.value.value_or(0.0);
  const std::string& name = experiment.variations[*best].name;
  std::string verdict = "mixed_signals";
  std::string action = "Keep running: no variation leads clearly yet";
  if (p2bb >= 0.95 && uplift > 0.0) {
    verdict = "strong_win";
    action = "Roll out " + name;
  } else if (p2bb >= 0.80 && uplift > 0.0) {
    verdict = "directional_win";
    action = name + " leads; keep running to confirm before rolling out";
  } else if (control_p2bb >= 0.95) {
    verdict = "strong_loss";
    action = "End the test and keep the control";
  } else if (control_p2bb >= 0.80) {
    verdict = "directional_loss";
    action = "The control leads; consider ending the test";
  }
  // Days the challenger has held its side of the control, counted back from the last day on
  // cumulative point values of the primary metric.
  std::uint64_t days_held = 0;
  {
    std::vector<std::optional<double>> sides;
    std::vector<Tally> cumulative(arms.size());
    for (const DayTallies& day : simulation.days) {
      for (std::size_t arm = 0; arm < arms.size(); ++arm) {
        cumulative[arm].add(day.arms[arm]);
      }
      const auto v = point_of(experiment.primary_metric, cumulative[*best], margin);
      const auto c = point_of(experiment.primary_metric, cumulative[control], margin);
      sides.push_back(v && c ? std::optional<double>(*v - *c) : std::nullopt);
    }
    const bool ahead = uplift > 0.0;
    for (auto it = sides.rbegin(); it != sides.rend(); ++it) {
      if (!*it || ((**it > 0.0) != ahead)) {
        break;
      }
      ++days_held;
    }
  }
  const std::optional<double> width =
      challenger.uplift.ci_low && challenger.uplift.ci_high
          ? std::optional<double>(
                vendor_round(*challenger.uplift.ci_high - *challenger.uplift.ci_low))
          : std::nullopt;
  json.key("verdict").value(verdict);
  json.key("action_to_take").value(action);
  json.key("runtime_days").value(runtime_days);
  orders_per_variant();
  json.key("primary_metric").begin_object();
  json.key("key").value(experiment.primary_metric);
  json.key("best_challenger").begin_object();
  json.key("variant").value(ids.variations[e][*best]);
  json.key("p2bb").value(challenger.p2bb);
  json.key("uplift").value(challenger.uplift.value);
  json.key("uplift_ci_width").value(width);
  json.key("stability").begin_object();
  json.key("days_held").value(days_held);
  json.key("p2bb_stable").value(days_held >= 7);
  json.key("uplift_ci_converged").value(width && *width <= 0.2);
  json.end_object();
  json.end_object();
  json.end_object();
  json.key("conflicting_metrics").begin_array();
  for (const char* other :
       {"conversion_rate", "net_revenue_per_visitor", "net_revenue_per_order"}) {
    if (experiment.primary_metric == other) {
      continue;
    }
    const VendorStatistic& cell = overview.statistics[0][metric_index(other)][*best];
    const double other_uplift = cell.uplift.value.value_or(0.0);
    if ((other_uplift > 0.005 && uplift < -0.005) || (other_uplift < -0.005 && uplift > 0.005)) {
      json.begin_object();
      json.key("key").value(other);
      json.key("uplift").value(cell.uplift.value);
      json.key("p2bb").value(cell.p2bb);
      json.end_object();
    }
  }
  json.end_array();
  json.end_object();
}

// round((best RPV - control RPV) x visitors x 30 / elapsed days), best by RPV; null while the
// revenue statistics are (low data).
void write_impact(JsonWriter& json, const Scenario& scenario, const AnalyticsSlice& overview) {
  const ScenarioExperiment& experiment = scenario.experiments[overview.experiment];
  const std::size_t control = experiment.control_index();
  const auto& rpv = overview.statistics[0][metric_index("net_revenue_per_visitor")];
  const std::vector<Tally>& arms = overview.tallies[0];
  const double elapsed = lifecycle(scenario, experiment).elapsed_days;
  json.key("impact").begin_object();
  json.key("est_monthly_revenue_increase");
  std::optional<std::size_t> best;
  std::uint64_t visitors = 0;
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    visitors += arms[arm].visitors;
    if (arm != control && rpv[arm].value && (!best || *rpv[arm].value > *rpv[*best].value)) {
      best = arm;
    }
  }
  if (!best || !rpv[control].p2bb || !rpv[control].value || elapsed <= 0.0) {
    json.null();
  } else {
    const double rpv_best = arms[*best].revenue() / static_cast<double>(arms[*best].visitors);
    const double rpv_control =
        arms[control].revenue() / static_cast<double>(arms[control].visitors);
    json.value(
        std::round((rpv_best - rpv_control) * static_cast<double>(visitors) * 30.0 / elapsed) +
        0.0);
  }
  json.end_object();
}

std::string analytics_body(const Scenario& scenario, const Ids& ids, const AnalyticsSlice& slice,
                           const ExperimentSimulation& simulation, const std::string& file,
                           Output& output) {
  const std::size_t e = slice.experiment;
  const ScenarioExperiment& experiment = scenario.experiments[e];
  const bool audience = slice.response.rfind("audience.", 0) == 0;
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
    write_impact(json, scenario, slice);
    write_test_result(json, scenario, ids, slice, simulation);
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
    // By visitors over all variations, descending; "Other" and "Unknown" pinned last.
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

// --- sitewide ---------------------------------------------------------------------------------

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

std::string sitewide_iso_start(model::Date date) {
  return date.to_string() + "T00:00:00+00:00";
}

std::string sitewide_iso_end(model::Date date) {
  return date.to_string() + "T23:59:59+00:00";
}

// --- order distribution -----------------------------------------------------------------------

// Points of the order value distribution's grid, from 0 to the 99.5th percentile of both
// periods' order values.
constexpr std::size_t k_distribution_points = 100;
constexpr double k_distribution_top = 0.995;
// Landing pages the conversion funnel shows by name; the rest are "Other".
constexpr std::size_t k_funnel_top = 5;

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

std::string order_distribution_body(const Scenario& scenario,
                                    const std::vector<SitewideOrder>& current,
                                    const std::vector<SitewideOrder>& previous) {
  const bool costs = scenario.store.cost_of_goods_share.has_value();
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);
  const std::vector<double> periods[2] = {sorted_values(current), sorted_values(previous)};
  std::vector<double> both = periods[0];
  both.insert(both.end(), periods[1].begin(), periods[1].end());
  std::sort(both.begin(), both.end());
  const double top = both.empty() ? 0.0 : std::ceil(quantile(both, k_distribution_top));
  const double h[2] = {periods[0].empty() ? 0.0 : bandwidth(periods[0]),
                       periods[1].empty() ? 0.0 : bandwidth(periods[1])};
  const char* const names[2] = {"current_period", "previous_period"};

  JsonWriter json(k_compact);
  json.begin_object();
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

  // The current period's orders by their number of units.
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
  json.key("orderBreakdown").begin_array();
  for (const auto& [units, row] : by_units) {
    const double revenue = static_cast<double>(row.second) / 100.0;
    const double total_revenue = static_cast<double>(total_cents) / 100.0;
    json.begin_object();
    json.key("unit_quantity").value(units);
    json.key("n_orders").begin_object().key("value").value(row.first).end_object();
    json.key("net_revenue").begin_object().key("value").value(money(revenue)).end_object();
    json.key("gross_profit");
    if (costs) {
      json.begin_object().key("value").value(money(revenue * margin)).end_object();
    } else {
      json.null();
    }
    json.key("pct_orders_by_unit_quantity")
        .begin_object()
        .key("value")
        .value(share(static_cast<double>(row.first), static_cast<double>(current.size())))
        .end_object();
    json.key("pct_net_revenue_by_unit_quantity")
        .begin_object()
        .key("value")
        .value(share(revenue, total_revenue))
        .end_object();
    json.key("pct_gross_profit_by_unit_quantity");
    if (costs) {
      // Profit is a constant share of revenue, so its shares are the revenue's.
      json.begin_object().key("value").value(share(revenue, total_revenue)).end_object();
    } else {
      json.null();
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

// --- conversion funnel ------------------------------------------------------------------------

// A Sankey diagram of the reporting window: landing pages (the top five by visitors and
// "Other", or one node without a landing page dimension), then "Add to cart", "Checkout" and
// "Order", each step's leavers going to that step's "Bounced". Links name their nodes by index.
std::string conversion_funnel_body(const Scenario& scenario, const SitewideSimulation& sitewide) {
  struct Node {
    std::string name;
    std::uint64_t step = 0;
    std::uint64_t value = 0;
  };
  struct Link {
    std::size_t source = 0;
    std::size_t target = 0;
    std::uint64_t step = 0;
    std::uint64_t value = 0;
  };
  std::vector<std::pair<std::string, Tally>> landing;
  const auto& dimensions = scenario.store.dimensions;
  const auto page = std::find_if(dimensions.begin(), dimensions.end(),
                                 [](const auto& d) { return d.name == "landing_page_full_path"; });
  if (page == dimensions.end()) {
    landing.emplace_back("All landing pages", window_tally(sitewide, true, std::nullopt));
  } else {
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
  }

  std::vector<Node> nodes;
  std::vector<Link> links;
  Tally all;
  for (const auto& [name, tally] : landing) {
    nodes.push_back(Node{name, 0, tally.visitors});
    all.add(tally);
  }
  // Reached at each later step: added to cart, began checkout, ordered.
  const auto reached = [](const Tally& tally, std::size_t step) {
    return step == 1 ? tally.reached[0] : step == 2 ? tally.reached[1] : tally.orders;
  };
  const char* const step_names[] = {"", "Add to cart", "Checkout", "Order"};
  for (std::uint64_t step = 1; step <= 3; ++step) {
    const std::size_t onward = nodes.size();
    nodes.push_back(Node{step_names[step], step, reached(all, step)});
    const std::size_t bounced = nodes.size();
    const std::uint64_t before = step == 1 ? all.visitors : reached(all, step - 1);
    nodes.push_back(Node{"Bounced", step, before - reached(all, step)});
    if (step == 1) {
      for (std::size_t i = 0; i < landing.size(); ++i) {
        const Tally& tally = landing[i].second;
        links.push_back(Link{i, onward, 0, reached(tally, 1)});
        links.push_back(Link{i, bounced, 0, tally.visitors - reached(tally, 1)});
      }
    } else {
      const std::size_t from = onward - 2;
      links.push_back(Link{from, onward, step - 1, nodes[onward].value});
      links.push_back(Link{from, bounced, step - 1, nodes[bounced].value});
    }
  }

  JsonWriter json(k_compact);
  json.begin_object();
  json.key("data").begin_object();
  json.key("nodes").begin_array();
  for (const Node& node : nodes) {
    json.begin_object();
    json.key("name").value(node.name);
    json.key("step").value(node.step);
    json.key("value").value(node.value);
    json.key("pct").value(all.visitors == 0 ? 0.0
                                            : vendor_round(static_cast<double>(node.value) /
                                                           static_cast<double>(all.visitors)));
    json.end_object();
  }
  json.end_array();
  json.key("links").begin_array();
  for (const Link& link : links) {
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

void write_sitewide(const Scenario& scenario, const SitewideSimulation& sitewide, Output& output) {
  const model::SitewideTraffic& traffic = *scenario.store.sitewide;
  const std::string window_body = "{\"start\":\"" + sitewide_iso_start(traffic.start) +
                                  "\",\"end\":\"" + sitewide_iso_end(traffic.end) + "\"";
  const Tally current = window_tally(sitewide, true, std::nullopt);
  const Tally previous = window_tally(sitewide, false, std::nullopt);

  {
    // The Feb-2026 single endpoint: a flat object for the window.
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
    const std::string body = "{\"start\":\"" + traffic.start.to_string() +
                             "T00:00:00.000Z\",\"end\":\"" + traffic.end.to_string() +
                             "T23:59:59.999Z\"}";
    output.add(
        "intelligems/sitewide/legacy.json", json.finish(),
        Request{"intelligems", "POST", std::string(k_prefix) + "/analytics/sitewide", {}, body});
  }
  {
    JsonWriter json(k_compact);
    json.begin_object();
    json.key("All");
    write_snapshot_segment(json, scenario,
                           SnapshotSegment{sitewide_values(current, scenario),
                                           sitewide_values(previous, scenario), std::nullopt,
                                           std::nullopt},
                           nullptr, nullptr);
    json.end_object();
    output.add("intelligems/sitewide/snapshot.json", json.finish(),
               Request{"intelligems",
                       "POST",
                       std::string(k_prefix) + "/analytics/sitewide/snapshot",
                       {},
                       window_body + "}"});
  }
  for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
    const model::SegmentDimension& dimension = scenario.store.dimensions[d];
    std::vector<SnapshotSegment> parts;
    const SnapshotSegment total{sitewide_values(current, scenario),
                                sitewide_values(previous, scenario), std::nullopt, std::nullopt};
    for (std::size_t v = 0; v < dimension.values.size(); ++v) {
      const Tally now = window_tally(sitewide, true, std::pair{d, v});
      const Tally before = window_tally(sitewide, false, std::pair{d, v});
      const auto share = [](const Tally& part, const Tally& whole) -> std::optional<double> {
        return whole.visitors == 0 ? std::nullopt
                                   : std::optional<double>(static_cast<double>(part.visitors) /
                                                           static_cast<double>(whole.visitors));
      };
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
    output.add("intelligems/sitewide/snapshot.audience." + dimension.name + ".json", json.finish(),
               Request{"intelligems",
                       "POST",
                       std::string(k_prefix) + "/analytics/sitewide/snapshot",
                       {},
                       window_body + ",\"feature\":{\"name\":\"audience\",\"audience\":\"" +
                           dimension.name + "\"}}"});
  }
  {
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
    output.add("intelligems/sitewide/timeseries.json", json.finish(),
               Request{"intelligems",
                       "POST",
                       std::string(k_prefix) + "/analytics/sitewide/timeseries",
                       {},
                       window_body + ",\"granularity\":\"day\"}"});
  }
  output.add("intelligems/sitewide/order-distribution.json",
             order_distribution_body(scenario, period_orders(scenario, sitewide, true),
                                     period_orders(scenario, sitewide, false)),
             Request{"intelligems",
                     "POST",
                     std::string(k_prefix) + "/analytics/sitewide/order-distribution",
                     {},
                     window_body + "}"});
  output.add("intelligems/sitewide/conversion-funnel.json",
             conversion_funnel_body(scenario, sitewide),
             Request{"intelligems",
                     "POST",
                     std::string(k_prefix) + "/analytics/sitewide/conversion-funnel",
                     {},
                     window_body + "}"});
}

// --- slices of one experiment -----------------------------------------------------------------

std::vector<AnalyticsSlice> slices_of(const Scenario& scenario, std::size_t e,
                                      const ExperimentSimulation& simulation) {
  const ScenarioExperiment& experiment = scenario.experiments[e];
  const std::size_t arm_count = experiment.variations.size();
  std::vector<AnalyticsSlice> slices;
  slices.push_back(AnalyticsSlice{
      e, "overview", std::nullopt, {""}, {sum_arms(simulation.days, arm_count)}, {}});
  for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
    const model::SegmentDimension& dimension = scenario.store.dimensions[d];
    AnalyticsSlice slice{e, "audience." + dimension.name, std::nullopt, {}, {}, {}};
    std::vector<std::pair<std::uint64_t, std::size_t>> by_visitors;
    for (std::size_t v = 0; v < dimension.values.size(); ++v) {
      std::vector<Tally> arms = sum_segment(simulation.days, arm_count, d, v);
      std::uint64_t visitors = 0;
      for (const Tally& tally : arms) {
        visitors += tally.visitors;
      }
      by_visitors.emplace_back(visitors, v);
    }
    const bool capped = is_capped_dimension(dimension.name);
    std::stable_sort(by_visitors.begin(), by_visitors.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<bool> keep(dimension.values.size(), !capped);
    for (std::size_t i = 0; capped && i < std::min(k_requested_top_n, by_visitors.size()); ++i) {
      keep[by_visitors[i].second] = true;
    }
    for (std::size_t v = 0; v < dimension.values.size(); ++v) {
      if (keep[v]) {
        slice.labels.push_back(dimension.values[v].label);
        slice.tallies.push_back(sum_segment(simulation.days, arm_count, d, v));
      }
    }
    slices.push_back(std::move(slice));
  }
  for (const DayTallies& day : simulation.days) {
    slices.push_back(
        AnalyticsSlice{e, "day." + day.date.to_string(), day.date, {""}, {day.arms}, {}});
  }
  return slices;
}

std::string seconds_text(std::int64_t seconds) {
  return std::to_string(seconds);
}

} // namespace

void write_intelligems(const Scenario& scenario, const Simulation& simulation, Output& output) {
  const Ids ids = make_ids(scenario);
  std::vector<std::size_t> listed;
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    if (scenario.experiments[e].source == model::ScenarioSource::intelligems) {
      listed.push_back(e);
    }
  }
  if (listed.empty() && !scenario.store.sitewide) {
    return;
  }

  // experiences-list, newest first, paginated.
  std::stable_sort(listed.begin(), listed.end(), [&](std::size_t a, std::size_t b) {
    return lifecycle(scenario, scenario.experiments[a]).created_ms >
           lifecycle(scenario, scenario.experiments[b]).created_ms;
  });
  const std::uint64_t limit = scenario.pagination.intelligems_experiences;
  const std::uint64_t total = listed.size();
  const std::uint64_t pages = std::max<std::uint64_t>(1, (total + limit - 1) / limit);
  for (std::uint64_t page = 1; page <= pages; ++page) {
    JsonWriter json(k_compact);
    json.begin_object();
    json.key("experiencesList").begin_array();
    for (std::uint64_t i = (page - 1) * limit; i < std::min(total, page * limit); ++i) {
      write_experience(json, scenario, ids, listed[i], false);
    }
    json.end_array();
    json.key("page").value(page);
    json.key("limit").value(limit);
    json.key("total").value(total);
    json.key("totalPages").value(pages);
    json.end_object();
    output.add("intelligems/experiences-list.page-" + std::to_string(page) + ".json", json.finish(),
               Request{"intelligems",
                       "GET",
                       std::string(k_prefix) + "/experiences-list",
                       {{"page", std::to_string(page)}, {"limit", std::to_string(limit)}},
                       {}});
  }

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

  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    if (scenario.experiments[e].source != model::ScenarioSource::intelligems) {
      continue;
    }
    JsonWriter json(k_compact);
    json.begin_object();
    json.key("experience");
    write_experience(json, scenario, ids, e, true);
    json.end_object();
    output.add("intelligems/experiences/" + ids.experience[e] + ".json", json.finish(),
               Request{"intelligems",
                       "GET",
                       std::string(k_prefix) + "/experiences/" + ids.experience[e],
                       {},
                       {}});
  }
  for (const AnalyticsSlice& slice : slices) {
    const std::size_t e = slice.experiment;
    const std::string file =
        "intelligems/analytics/" + ids.experience[e] + "/" + slice.response + ".json";
    std::string body;
    if (slice.response == "overview") {
      body = R"({"view":"overview","testResult":true})";
    } else if (slice.day) {
      body = R"({"view":"overview","startTs":")" + seconds_text(slice.day->epoch_seconds()) +
             R"(","endTs":")" + seconds_text(slice.day->epoch_seconds() + 86'399) + R"("})";
    } else {
      const std::string dimension = slice.response.substr(9);
      body = R"({"view":"audience","audience":")" + dimension + '"';
      if (is_capped_dimension(dimension)) {
        body += R"(,"topN":)" + std::to_string(k_requested_top_n);
      }
      body += '}';
    }
    std::string content =
        analytics_body(scenario, ids, slice, simulation.experiments[e], file, output);
    output.add(file, std::move(content),
               Request{"intelligems",
                       "POST",
                       std::string(k_prefix) + "/analytics/resource/" + ids.experience[e],
                       {},
                       body});
    if (slice.response == "overview") {
      output.add(
          "intelligems/analytics/" + ids.experience[e] + "/timeseries.json",
          timeseries_body(scenario, ids, e, simulation.experiments[e]),
          Request{"intelligems",
                  "POST",
                  std::string(k_prefix) + "/analytics/experience/" + ids.experience[e] +
                      "/timeseries",
                  {},
                  R"({"granularity":"day","mode":"noncumulative","metrics":["conversion_rate",)"
                  R"("net_revenue_per_visitor","gross_profit_per_visitor","aov","n_visitors",)"
                  R"("n_orders","net_revenue"]})"});
    }
  }
  if (scenario.store.sitewide) {
    write_sitewide(scenario, simulation.sitewide, output);
  }
}

} // namespace reckon::simulate::detail
