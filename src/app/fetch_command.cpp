#include "commands.hpp"
#include "fetch_parts.hpp"
#include "fetch_rig.hpp"
#include "option_checks.hpp"
#include "progress.hpp"
#include "wall_clock.hpp"

#include "reckon/contract/bandit.hpp"
#include "reckon/contract/intelligems.hpp"
#include "reckon/contract/platform.hpp"
#include "reckon/fetch/account.hpp"
#include "reckon/fetch/bandit_account.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/fetch/intelligems_plan.hpp"
#include "reckon/parse/api_error.hpp"
#include "reckon/parse/bandit.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/store/store.hpp"


#include <algorithm>
#include <chrono>
#include <optional>
#include <sstream>

namespace reckon::app {
namespace {

using std::chrono::milliseconds;
using util::ErrorCode;

util::Result<std::optional<util::Date>> read_date(const std::string& text, const char* option) {
  if (text.empty()) {
    return std::optional<util::Date>();
  }
  const auto date = util::Date::parse(text);
  if (!date) {
    return util::make_error(ErrorCode::usage, option, "expected a date YYYY-MM-DD, got " + text);
  }
  return std::optional<util::Date>(*date);
}

util::Result<std::vector<std::string>> read_dimensions(const std::string& segments,
                                                       const char* option) {
  const auto& known = contract::intelligems::k_dimensions;
  if (segments == "all") {
    return std::vector<std::string>(known.begin(), known.end());
  }
  std::vector<std::string> chosen;
  if (segments == "none") {
    return chosen;
  }
  std::stringstream list(segments);
  for (std::string name; std::getline(list, name, ',');) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string choices;
      for (const std::string_view dimension : known) {
        choices.append(dimension).append(", ");
      }
      return util::make_error(ErrorCode::usage, option,
                              "unknown dimension " + name + " (" + choices + "all, none)");
    }
    chosen.push_back(name);
  }
  return chosen;
}

// What a final client error means for the user; never repeats the key.
std::string explain_client_error(const contract::ApiRequest& request,
                                 const fetch::HttpResponse& response) {
  const std::string detail = parse::describe_api_error(response.body);
  switch (response.status) {
  case 401:
    return "401 Unauthorized: the API key is wrong or missing (" +
           std::string(source_access(contract::intelligems::k_source).key_variable) +
           " or --api-key-file)";
  case 400:
    return "400 Bad Request: " + (detail.empty() ? "the server rejected the request" : detail);
  case 403:
    return "403 Forbidden: the account's plan does not include this endpoint";
  case 404:
    return "404 Not Found: nothing at " + request.path +
           " (an unknown experience id, or a base URL that does not serve this API version)";
  default:
    return "HTTP " + std::to_string(response.status) + (detail.empty() ? "" : ": " + detail);
  }
}

// The command's options as the fetch module's settings: the zone, the dates and the
// dimensions checked, and the plan's clock set to now.
util::Result<fetch::AccountSettings> account_settings(const FetchSettings& settings) {
  auto zone = util::TimeZone::load(settings.zone);
  if (!zone) {
    return zone.error();
  }
  auto from = read_date(settings.from, "--from");
  auto to = read_date(settings.to, "--to");
  auto dimensions = read_dimensions(settings.segments, "--segments");
  auto day_dimensions = read_dimensions(settings.day_segments, "--day-segments");
  if (!from || !to || !dimensions || !day_dimensions) {
    return !from         ? from.error()
           : !to         ? to.error()
           : !dimensions ? dimensions.error()
                         : day_dimensions.error();
  }
  fetch::AccountSettings account;
  account.experiences = settings.experiences;
  account.status = settings.status;
  account.page_size = settings.page_size;
  account.sitewide = settings.sitewide;
  fetch::PlanSettings& plan = account.plan;
  plan.generation =
      settings.api == "legacy" ? fetch::ApiGeneration::legacy : fetch::ApiGeneration::current;
  plan.dimensions = std::move(*dimensions);
  plan.day_dimensions = std::move(*day_dimensions);
  // Day segments are views of the day windows: asking for them asks for the days.
  plan.days = settings.days || !plan.day_dimensions.empty();
  plan.from = *from;
  plan.to = *to;
  plan.sitewide_days = settings.sitewide_days;
  plan.zone = std::move(*zone);
  plan.now_ms = now_ms();
  return account;
}

// The experiences that list pages and details describe, read by the parse module.
util::Result<std::vector<fetch::ExperienceTimes>>
read_roster(std::span<const contract::ApiExchange> exchanges) {
  auto parsed = parse::parse_intelligems(exchanges);
  if (!parsed) {
    return parsed.error();
  }
  std::vector<fetch::ExperienceTimes> experiences;
  for (const model::Experiment& experiment : parsed->experiments) {
    experiences.push_back({experiment.id, experiment.started_at_ms, experiment.ended_at_ms});
  }
  return experiences;
}

// What a bandit API's final client error means; never repeats the key.
std::string explain_bandit_error(const contract::ApiRequest& request,
                                 const fetch::HttpResponse& response) {
  const std::string detail = parse::describe_api_error(response.body);
  const std::string said = detail.empty() ? "" : " (the server said: " + detail + ")";
  switch (response.status) {
  case 401:
  case 403:
    return std::to_string(response.status) + ": the API key is wrong or missing (" +
           std::string(source_access(contract::bandit::k_source).key_variable) +
           " or --api-key-file; --auth-header x-api-key if the server wants that header)" + said;
  case 404:
    return "404 Not Found: nothing at " + request.path +
           " (an unknown experiment id, or a base "
           "URL that does not serve the bandit API)" +
           said;
  default:
    return "HTTP " + std::to_string(response.status) + said;
  }
}

util::Result<void> fetch_bandit(const FetchSettings& settings, fetch::HttpSettings http,
                                const Console& console) {
  auto store = store::Store::open(settings.store_path);
  if (!store) {
    return store.error();
  }
  FetchRig rig(std::move(*store), std::move(http),
               session_settings(settings, parse::check_bandit_response), explain_bandit_error,
               console);
  fetch::BanditAccountSettings account;
  account.experiments = settings.experiences;
  const auto summary = fetch::fetch_bandit_account(
      account, rig.fetcher, rig.store, {parse::bandit_experiment_ids, parse::bandit_event_count},
      rig.listener());
  if (!summary) {
    return summary.error();
  }
  rig.bar.finish();
  const fetch::SessionCounters& calls = rig.session.counters();
  const fetch::FetcherCounters& counts = rig.fetcher.counters();
  console.info("fetched " + std::to_string(counts.sent) + " responses into " + settings.store_path +
               ", reused " + std::to_string(counts.reused) + " settled ones; " +
               std::to_string(calls.rate_limited) + " rate-limited answers, " +
               std::to_string(calls.attempts) + " requests sent; " +
               std::to_string(summary->experiments) + " experiments, " +
               std::to_string(summary->events) + " events in " +
               std::to_string(summary->event_pages) + " pages");
  return {};
}

} // namespace

util::Result<void> run_fetch(const FetchSettings& settings, const Console& console) {
  auto http = http_settings(settings, console);
  if (!http) {
    return http.error();
  }
  if (settings.source == contract::bandit::k_source) {
    return fetch_bandit(settings, std::move(*http), console);
  }
  if (settings.source == contract::platform::k_source) {
    return run_platform_fetch(settings, std::move(*http), console);
  }
  auto account = account_settings(settings);
  if (!account) {
    return account.error();
  }
  auto store = store::Store::open(settings.store_path);
  if (!store) {
    return store.error();
  }

  const auto started = std::chrono::steady_clock::now();
  // A 200 whose body analysis could not read is retried, never stored.
  const auto check_body = [](const contract::ApiRequest& request, std::string_view body) {
    return parse::check_intelligems_response(request, body, "body");
  };
  FetchRig rig(std::move(*store), std::move(*http), session_settings(settings, check_body),
               explain_client_error, console);
  const auto summary = fetch::fetch_account(*account, rig.fetcher, read_roster, rig.listener());
  if (!summary) {
    return summary.error();
  }
  rig.bar.finish();

  const fetch::SessionCounters& calls = rig.session.counters();
  const fetch::FetcherCounters& counts = rig.fetcher.counters();
  const auto elapsed =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  const std::size_t not_started = summary->not_started;
  console.info(
      "fetched " + std::to_string(counts.sent) + " responses into " + settings.store_path +
      ", reused " + std::to_string(counts.reused) + " settled ones; " +
      std::to_string(calls.retries) + " waits (" + format_duration(calls.waited) + "), " +
      std::to_string(calls.rate_limited) + " rate-limited answers, " +
      std::to_string(calls.attempts) + " requests sent, in " + format_duration(elapsed) +
      (not_started > 0 ? "; " + std::to_string(not_started) + " experiences not started" : ""));
  return {};
}

} // namespace reckon::app
