#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/fetch/account.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// Fetching an experimentation platform account (seed 003, contract/platform.hpp): the
// experiments list through its `meta` pagination, each experiment, and its results, through the
// same Fetcher, Session and retry rules as Intelligems.
namespace reckon::fetch {

// What a list page or an experiment's details say, as far as the fetch needs it.
struct PlatformEntry {
  std::string id;
  bool draft = false; // a draft has no results
  // When its results stop changing (a completed experiment's end); absent while it runs.
  std::optional<std::int64_t> settled_at_ms;
};
struct PlatformListing {
  std::vector<PlatformEntry> experiments;
  // A list page's `meta`, as the server cut it (absent for details).
  std::optional<std::uint64_t> page;
  std::optional<std::uint64_t> limit;
  std::optional<std::uint64_t> pages;
};
// Reads one list page or one experiment's details. Supplied by the caller, which knows how to
// read the vendor's bodies; fetch knows bytes, not the model.
using PlatformReader =
    std::function<util::Result<PlatformListing>(const contract::ApiExchange& exchange)>;

struct PlatformAccountSettings {
  std::vector<std::string> experiments; // these ids; empty: every listed experiment
  std::string status;                   // the list's status filter; empty: any
  std::uint64_t page_size = 100;        // asked per page, at most contract::platform::k_max_limit
};

contract::ApiRequest platform_list_request(std::uint64_t page, std::uint64_t limit,
                                           const std::string& status);

// Fetches the list page by page (page 1 with `page_size`, then each next page with the limit
// the server said it used, until `meta.pages`; a page without meta ends the list when it comes
// back short), each chosen experiment, and the results of every one that is not a draft. The
// results of a COMPLETED or ARCHIVED experiment settle at its end: a stored copy fetched after
// it is reused. Stops at the first error, keeping what was saved before it.
util::Result<AccountSummary> fetch_platform_account(const PlatformAccountSettings& settings,
                                                    Fetcher& fetcher,
                                                    const PlatformReader& read_listing,
                                                    const AccountListener& listener = {});

} // namespace reckon::fetch
