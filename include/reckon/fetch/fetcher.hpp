#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/fetch/intelligems_plan.hpp"
#include "reckon/fetch/session.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace reckon::fetch {

struct FetcherCounters {
  std::uint64_t sent = 0;   // requests answered by the API and saved
  std::uint64_t reused = 0; // settled answers taken from the store instead
};

// Explains a final client error (400, 401, 404, ...) from the response body, naming what the
// server objected to. Supplied by the caller, which knows how to read the vendor's bodies.
using ClientErrorExplainer =
    std::function<std::string(const contract::ApiRequest& request, const HttpResponse& response)>;

// Runs planned requests through a session into a store. A request whose stored answer has
// settled (and passes the session's body check) is not sent again (the planned request's day window
// is still recorded with it); every fresh answer is saved, in its own transaction, before the next
// request goes out, so a fetch killed at any moment loses at most the request in flight.
class Fetcher {
public:
  Fetcher(Session& session, store::Store& store, ClientErrorExplainer explain,
          std::function<std::int64_t()> now_ms);

  util::Result<contract::ApiExchange> get(const PlannedRequest& planned);
  const FetcherCounters& counters() const { return m_counters; }

private:
  Session& m_session;
  store::Store& m_store;
  ClientErrorExplainer m_explain;
  std::function<std::int64_t()> m_now_ms;
  FetcherCounters m_counters;
};

} // namespace reckon::fetch
