#include "fetch_parts.hpp"
#include "fetch_rig.hpp"
#include "progress.hpp"

#include "reckon/contract/platform.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/fetch/platform_plan.hpp"
#include "reckon/parse/api_error.hpp"
#include "reckon/parse/platform.hpp"
#include "reckon/store/store.hpp"


#include <map>

namespace reckon::app {
namespace {

using std::chrono::milliseconds;

// What a final client error means, from the platform's envelope {"error": {code, message,
// details}}; never repeats the key.
std::string explain_platform_error(const contract::ApiRequest& request,
                                   const fetch::HttpResponse& response) {
  const std::string detail = parse::describe_api_error(response.body);
  const std::string said = detail.empty() ? "" : ": " + detail;
  switch (response.status) {
  case 401:
    return "401 Unauthorized" + said + " (check " +
           std::string(source_access(contract::platform::k_source).key_variable) +
           " or --api-key-file)";
  case 403:
    return "403 Forbidden" + said + " (the key may not read experiments)";
  case 404:
    return "404 Not Found" + said + " (nothing at " + request.path +
           "; an unknown experiment id, or a base URL that does not serve /api/v1)";
  case 422:
    return "422 Unprocessable" + said;
  default:
    return "HTTP " + std::to_string(response.status) + said;
  }
}

// Reckon's status words as the platform's.
std::string platform_status(const std::string& status) {
  static const std::map<std::string, std::string> k_statuses{
      {"started", "ACTIVE"}, {"ended", "COMPLETED"}, {"paused", "PAUSED"}, {"pending", "DRAFT"}};
  const auto found = k_statuses.find(status);
  return found == k_statuses.end() ? status : found->second;
}

// A list page or an experiment's details, read by the parse module.
util::Result<fetch::PlatformListing> read_listing(const contract::ApiExchange& exchange) {
  auto parsed = parse::parse_platform({&exchange, 1});
  if (!parsed) {
    return parsed.error();
  }
  fetch::PlatformListing listing;
  for (const model::Experiment& experiment : parsed->experiments) {
    listing.experiments.push_back(
        {experiment.id, experiment.status == "pending", experiment.ended_at_ms});
  }
  auto meta = parse::read_platform_meta(exchange.body, exchange.origin);
  if (!meta) {
    return meta.error();
  }
  listing.page = meta->page;
  listing.limit = meta->limit;
  listing.pages = meta->pages;
  return listing;
}

} // namespace

util::Result<void> run_platform_fetch(const FetchSettings& settings, fetch::HttpSettings http,
                                      const Console& console) {
  auto store = store::Store::open(settings.store_path);
  if (!store) {
    return store.error();
  }
  const auto started = std::chrono::steady_clock::now();
  fetch::SessionSettings session_rules =
      session_settings(settings, [](const contract::ApiRequest& request, std::string_view body) {
        return parse::check_platform_response(request, body, "body");
      });
  // The platform documents X-RateLimit-Remaining and an epoch reset: a spent window is waited
  // out rather than run into.
  session_rules.hold_when_spent = true;
  FetchRig rig(std::move(*store), std::move(http), std::move(session_rules), explain_platform_error,
               console);
  fetch::PlatformAccountSettings account{settings.experiences, platform_status(settings.status),
                                         static_cast<std::uint64_t>(settings.page_size)};
  const auto summary =
      fetch::fetch_platform_account(account, rig.fetcher, read_listing, rig.listener());
  if (!summary) {
    return summary.error();
  }
  rig.bar.finish();
  const auto elapsed =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  const fetch::SessionCounters& calls = rig.session.counters();
  console.info("fetched " + std::to_string(rig.fetcher.counters().sent) +
               " platform responses into " + settings.store_path + ", reused " +
               std::to_string(rig.fetcher.counters().reused) + " settled ones; " +
               std::to_string(calls.rate_limited) + " rate-limited answers, " +
               std::to_string(calls.attempts) + " requests sent, in " + format_duration(elapsed) +
               (summary->not_started > 0
                    ? "; " + std::to_string(summary->not_started) + " drafts without results"
                    : ""));
  return {};
}

} // namespace reckon::app
