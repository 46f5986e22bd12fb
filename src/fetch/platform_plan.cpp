#include "reckon/fetch/platform_plan.hpp"

#include "reckon/contract/platform.hpp"

#include <algorithm>

namespace reckon::fetch {
namespace {

namespace platform = contract::platform;

contract::ApiRequest get(std::string path) {
  return {std::string(platform::k_source), "GET", std::move(path), {}, {}};
}

void answered(const AccountListener& listener, std::string_view label) {
  if (listener.on_answered) {
    listener.on_answered(label);
  }
}

// Every listed experiment, following the pages the server says there are.
util::Result<std::vector<PlatformEntry>> list_all(const PlatformAccountSettings& settings,
                                                  Fetcher& fetcher,
                                                  const PlatformReader& read_listing,
                                                  const AccountListener& listener) {
  std::vector<PlatformEntry> entries;
  std::uint64_t limit = std::clamp<std::uint64_t>(
      settings.page_size, 1, static_cast<std::uint64_t>(platform::k_max_limit));
  for (std::uint64_t page = 1;; ++page) {
    const std::string label = "experiments list page " + std::to_string(page);
    auto listed =
        fetcher.get({platform_list_request(page, limit, settings.status), label, std::nullopt});
    if (!listed) {
      return listed.error();
    }
    answered(listener, label);
    auto listing = read_listing(*listed);
    if (!listing) {
      return listing.error();
    }
    const std::size_t count = listing->experiments.size();
    std::move(listing->experiments.begin(), listing->experiments.end(),
              std::back_inserter(entries));
    // The server may cut pages smaller than asked: its own limit numbers the next page.
    const std::uint64_t used = listing->limit.value_or(limit);
    const bool last = listing->pages ? page >= *listing->pages : count < used;
    if (last || count == 0 || used == 0) {
      return entries;
    }
    limit = used;
  }
}

} // namespace

contract::ApiRequest platform_list_request(std::uint64_t page, std::uint64_t limit,
                                           const std::string& status) {
  contract::ApiRequest request = get(platform::experiments_list_path());
  if (!status.empty()) {
    request.query.emplace_back("status", status);
  }
  request.query.emplace_back("page", std::to_string(page));
  request.query.emplace_back("limit", std::to_string(limit));
  return request;
}

util::Result<AccountSummary> fetch_platform_account(const PlatformAccountSettings& settings,
                                                    Fetcher& fetcher,
                                                    const PlatformReader& read_listing,
                                                    const AccountListener& listener) {
  std::vector<std::string> ids = settings.experiments;
  if (ids.empty()) {
    auto listed = list_all(settings, fetcher, read_listing, listener);
    if (!listed) {
      return listed.error();
    }
    for (const PlatformEntry& entry : *listed) {
      ids.push_back(entry.id);
    }
  }
  if (listener.on_total) {
    listener.on_total(2 * ids.size());
  }
  AccountSummary summary;
  for (const std::string& id : ids) {
    const std::string label = "experiment " + id;
    auto detail = fetcher.get({get(platform::experiment_path(id)), label, std::nullopt});
    if (!detail) {
      return detail.error();
    }
    answered(listener, label);
    auto listing = read_listing(*detail);
    if (!listing) {
      return listing.error();
    }
    const PlatformEntry* entry = listing->experiments.empty() ? nullptr : &listing->experiments[0];
    if (entry == nullptr || entry->draft) {
      ++summary.not_started;
      continue;
    }
    const std::string results_label = "results of " + id;
    auto results =
        fetcher.get({get(platform::results_path(id)), results_label, entry->settled_at_ms});
    if (!results) {
      return results.error();
    }
    answered(listener, results_label);
  }
  return summary;
}

} // namespace reckon::fetch
