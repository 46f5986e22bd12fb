// Intelligems experiences: the paginated list and each experience's details, as
// research/intelligems-api.md describes them; and the writer of every Intelligems response.
#include "intelligems.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace reckon::simulate::detail {

namespace intelligems {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;

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

// The primary metric first, then conversion rate and order value unless primary.
void write_key_metrics(JsonWriter& json, const Scenario& scenario, const Ids& ids, std::size_t e) {
  const ScenarioExperiment& experiment = scenario.experiments[e];
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
    write_key_metrics(json, scenario, ids, e);
    json.key("shippingTestMethodDefinitions").begin_array().end_array();
    json.key("shippingCarrierProvider").value("intelligems");
  }
  json.end_object();
}

} // namespace

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

void write_experiences(const Scenario& scenario, const Ids& ids,
                       const std::vector<std::size_t>& listed, Output& output) {
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
    output.add(
        "intelligems/experiences-list.page-" + std::to_string(page) + ".json", json.finish(),
        contract::ApiRequest{std::string(contract::intelligems::k_source),
                             "GET",
                             contract::intelligems::experiences_list_path(),
                             {{"page", std::to_string(page)}, {"limit", std::to_string(limit)}},
                             {}});
  }
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
               contract::ApiRequest{std::string(contract::intelligems::k_source),
                                    "GET",
                                    contract::intelligems::experience_path(ids.experience[e]),
                                    {},
                                    {}});
  }
}

} // namespace intelligems

void write_intelligems(const model::Scenario& scenario, const Simulation& simulation,
                       Output& output) {
  const intelligems::Ids ids = intelligems::make_ids(scenario);
  std::vector<std::size_t> listed;
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    if (scenario.experiments[e].source == model::ScenarioSource::intelligems) {
      listed.push_back(e);
    }
  }
  if (listed.empty() && !scenario.store.sitewide) {
    return;
  }
  // Newest first, as the experiences list and the analytics that follow it.
  std::stable_sort(listed.begin(), listed.end(), [&](std::size_t a, std::size_t b) {
    return lifecycle(scenario, scenario.experiments[a]).created_ms >
           lifecycle(scenario, scenario.experiments[b]).created_ms;
  });
  intelligems::write_experiences(scenario, ids, listed, output);
  intelligems::write_analytics(scenario, simulation, ids, listed, output);
  if (scenario.store.sitewide) {
    intelligems::write_sitewide(scenario, simulation.sitewide, output);
  }
}

} // namespace reckon::simulate::detail
