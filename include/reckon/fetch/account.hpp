#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/fetch/intelligems_plan.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::fetch {

// What to fetch of an Intelligems account.
struct AccountSettings {
  std::vector<std::string> experiences; // these ids; empty: every listed experience
  std::string status;                   // the list's status filter; empty: any
  int page_size = 50;                   // experiences per list page
  bool sitewide = true;                 // also the store-wide analytics
  PlanSettings plan;
};

// Reads the experiences (id, start and end) that list pages and details describe. Supplied by
// the caller, which knows how to read the vendor's bodies; fetch knows bytes, not the model.
using RosterReader = std::function<util::Result<std::vector<ExperienceTimes>>(
    std::span<const contract::ApiExchange> exchanges)>;

// Told how the fetch goes, for progress output; either member may be empty.
struct AccountListener {
  // How many requests the fetch makes in all, as far as it knows yet (it grows as the list
  // and details reveal the experiences and their days).
  std::function<void(std::size_t requests)> on_total;
  // A request answered, by its label, whether fetched or reused from the store.
  std::function<void(std::string_view label)> on_answered;
};

struct AccountSummary {
  std::size_t not_started = 0; // chosen experiences without analytics yet
};

// Fetches an account into the fetcher's store: the experience list page by page (unless the
// settings name the experiences), each chosen experience's details, then the analytics that
// the plan asks of every started one and the sitewide analytics. Settled answers already in
// the store are reused (Fetcher). Stops at the first error, keeping what was saved before it.
util::Result<AccountSummary> fetch_account(const AccountSettings& settings, Fetcher& fetcher,
                                           const RosterReader& read_roster,
                                           const AccountListener& listener = {});

} // namespace reckon::fetch
