#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/contract/bandit.hpp"
#include "reckon/fetch/account.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::fetch {

// What to fetch of a bandit account (seed 004).
struct BanditAccountSettings {
  std::vector<std::string> experiments; // these ids; empty: every listed experiment
  std::uint64_t events_limit = contract::bandit::k_events_limit;
  bool funnels = true;
};

// Reads what the fetch must know of the bodies. Supplied by the caller, which knows how to read
// the vendor's bodies; fetch knows bytes, not the model.
struct BanditReaders {
  // The ids of the experiments of a `GET /experiments` answer.
  std::function<util::Result<std::vector<std::string>>(const contract::ApiExchange&)>
      experiment_ids;
  // How many events a `GET /events/{id}` answer holds.
  std::function<util::Result<std::uint64_t>(const contract::ApiExchange&)> event_count;
};

struct BanditSummary {
  std::size_t experiments = 0;
  std::uint64_t event_pages = 0; // the closing empty pages included
  std::uint64_t events = 0;
};

contract::ApiRequest bandit_events_request(std::string_view experiment_id, std::uint64_t limit,
                                           std::uint64_t offset);

// Fetches a bandit account into the fetcher's store, with GET requests only (never one that
// contract::bandit::has_side_effects): the experiment list, each chosen experiment, every page
// of its events, then the funnels. Event pages are read from offset 0, each next offset the
// previous one plus the events it held, until an empty page: a server returning fewer than
// asked is followed, not trusted to be at the end. The event log only grows, so a stored page
// whose successor is stored too is final and reused: a fetch killed mid-pages resumes at the
// last page it saved, which is asked again in case it has grown. Stops at the first error,
// keeping what was saved before it.
util::Result<BanditSummary> fetch_bandit_account(const BanditAccountSettings& settings,
                                                 Fetcher& fetcher, const store::Store& store,
                                                 const BanditReaders& readers,
                                                 const AccountListener& listener = {});

} // namespace reckon::fetch
