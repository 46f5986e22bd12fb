#include "commands.hpp"
#include "option_checks.hpp"
#include "progress.hpp"
#include "wall_clock.hpp"

#include "reckon/contract/bandit.hpp"
#include "reckon/contract/intelligems.hpp"
#include "reckon/fetch/account.hpp"
#include "reckon/fetch/bandit_account.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/fetch/intelligems_plan.hpp"
#include "reckon/parse/api_error.hpp"
#include "reckon/parse/bandit.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace reckon::app {
namespace {

using std::chrono::milliseconds;
using util::ErrorCode;

milliseconds from_seconds(double seconds) {
  return milliseconds(static_cast<long long>(seconds * 1000.0));
}

// A key file others can read leaks the key to them: said once, on the one read of the file.
void warn_if_shared(const std::string& path, const Console& console) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0 && (status.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    std::ostringstream mode;
    mode << std::oct << (status.st_mode & 0777U);
    console.warn("--api-key-file " + path + " is readable by other users (mode 0" + mode.str() +
                 "); chmod 600 " + path);
  }
}

// The environment variable that holds the key of a source's API.
std::string key_variable(std::string_view source) {
  return source == contract::bandit::k_source ? "BANDIT_API_KEY" : "INTELLIGEMS_API_KEY";
}

// The key comes from a file named on the command line or from the environment, never from an
// argument, so that it stays out of shell history and process listings. Once read it is hidden
// from every diagnostic.
util::Result<fetch::Secret> read_api_key(const FetchSettings& settings, const Console& console) {
  const bool from_file = !settings.api_key_file.empty();
  const std::string variable = key_variable(settings.source);
  const std::string origin = from_file ? "--api-key-file " + settings.api_key_file : variable;
  std::string key;
  if (from_file) {
    auto text = util::read_file(settings.api_key_file);
    if (!text) {
      return util::make_error(text.error().code, origin, text.error().message);
    }
    warn_if_shared(settings.api_key_file, console);
    key = std::move(*text);
  } else if (const char* value = std::getenv(variable.c_str())) {
    key = value;
  }
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) {
    key.pop_back();
  }
  console.hide(key);
  if (key.empty()) {
    return util::make_error(ErrorCode::usage, origin,
                            from_file ? "the file holds no API key"
                                      : "no API key: set " + variable + " or pass --api-key-file");
  }
  if (const auto bad = first_unsendable(key)) {
    return util::make_error(ErrorCode::usage, origin,
                            "the API key holds a control character, a space or a non-ASCII "
                            "byte at byte " +
                                std::to_string(*bad + 1) +
                                "; a key is one line of printable ASCII characters");
  }
  return fetch::Secret(std::move(key));
}

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
    return "401 Unauthorized: the API key is wrong or missing (INTELLIGEMS_API_KEY or "
           "--api-key-file)";
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

fetch::SessionSettings session_settings(const FetchSettings& settings,
                                        fetch::BodyCheck check_body) {
  fetch::RetryPolicy retry;
  retry.max_attempts = settings.max_attempts;
  retry.first_backoff = from_seconds(settings.first_backoff_s);
  retry.max_wait = from_seconds(settings.max_wait_s);
  return {settings.requests_per_second, retry, static_cast<std::uint64_t>(now_ms()),
          std::move(check_body)};
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
    return std::to_string(response.status) +
           ": the API key is wrong or missing (BANDIT_API_KEY or --api-key-file; --auth-header "
           "x-api-key if the server wants that header)" +
           said;
  case 404:
    return "404 Not Found: nothing at " + request.path +
           " (an unknown experiment id, or a base "
           "URL that does not serve the bandit API)" +
           said;
  default:
    return "HTTP " + std::to_string(response.status) + said;
  }
}

util::Result<void> fetch_bandit(const FetchSettings& settings, fetch::Secret key,
                                const Console& console) {
  if (settings.base_url == FetchSettings{}.base_url) {
    return util::make_error(ErrorCode::usage, "--base-url",
                            "the bandit API has no public address: pass --base-url URL");
  }
  auto store = store::Store::open(settings.store_path);
  if (!store) {
    return store.error();
  }
  const bool bearer = settings.auth_header == "authorization";
  fetch::HttpClient client(
      {settings.base_url,
       bearer ? "Authorization" : std::string(contract::bandit::k_api_key_header),
       std::move(key).with_scheme(bearer ? "Bearer " : ""),
       from_seconds(settings.connect_timeout_s), from_seconds(settings.timeout_s),
       settings.max_response_mb * 1'000'000});
  ProgressBar bar(console.err, !console.quiet && isatty(STDERR_FILENO) == 1);
  fetch::Session session(
      client, session_settings(settings, parse::check_bandit_response),
      {[&bar](milliseconds wait, std::string_view reason) { bar.waiting(wait, reason); }});
  fetch::Fetcher fetcher(session, *store, explain_bandit_error, now_ms);
  fetch::BanditAccountSettings account;
  account.experiments = settings.experiences;
  const auto summary = fetch::fetch_bandit_account(
      account, fetcher, *store, {parse::bandit_experiment_ids, parse::bandit_event_count},
      {[&bar](std::size_t total) { bar.set_total(total); },
       [&bar](std::string_view label) { bar.advance(label); }});
  if (!summary) {
    return summary.error();
  }
  bar.finish();
  const fetch::SessionCounters& calls = session.counters();
  const fetch::FetcherCounters& counts = fetcher.counters();
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
  auto key = read_api_key(settings, console);
  if (!key) {
    return key.error();
  }
  if (settings.source == contract::bandit::k_source) {
    return fetch_bandit(settings, std::move(*key), console);
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
  ProgressBar bar(console.err, !console.quiet && isatty(STDERR_FILENO) == 1);
  fetch::HttpClient client({settings.base_url, std::string(contract::intelligems::k_key_header),
                            std::move(*key), from_seconds(settings.connect_timeout_s),
                            from_seconds(settings.timeout_s),
                            settings.max_response_mb * 1'000'000});
  // A 200 whose body analysis could not read is retried, never stored.
  const auto check_body = [](const contract::ApiRequest& request, std::string_view body) {
    return parse::check_intelligems_response(request, body, "body");
  };
  fetch::Session session(
      client, session_settings(settings, check_body),
      {[&bar](milliseconds wait, std::string_view reason) { bar.waiting(wait, reason); }});
  fetch::Fetcher fetcher(session, *store, explain_client_error, now_ms);
  const auto summary =
      fetch::fetch_account(*account, fetcher, read_roster,
                           {[&bar](std::size_t total) { bar.set_total(total); },
                            [&bar](std::string_view label) { bar.advance(label); }});
  if (!summary) {
    return summary.error();
  }
  bar.finish();

  const fetch::SessionCounters& calls = session.counters();
  const fetch::FetcherCounters& counts = fetcher.counters();
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
