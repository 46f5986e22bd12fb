#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/fetch/http_client.hpp"
#include "reckon/fetch/retry_policy.hpp"
#include "reckon/util/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

namespace reckon::fetch {

// Says whether a 2xx body can be used (an error saying why not). Supplied by the caller, which
// knows how to read the vendor's bodies; fetch knows bytes, not the model.
using BodyCheck =
    std::function<util::Result<void>(const contract::ApiRequest& request, std::string_view body)>;

struct SessionSettings {
  // Client-side pacing: at most this many request starts per second (0: no pacing). The
  // vendor advises one per second.
  double requests_per_second = 1.0;
  RetryPolicy retry;
  std::uint64_t jitter_seed = 0;
  // When set, a 2xx answer whose body fails it (cut short, not JSON, the wrong shape) is a
  // failed attempt, retried as a transport failure is, and never handed on to be stored.
  BodyCheck check_body;
  // When set, an answer saying no requests remain in the window (X-RateLimit-Remaining: 0)
  // holds the next request until the window's reset instead of drawing a 429. The
  // experimentation platform documents its reset as an epoch; Intelligems' reset is read as it
  // has always been, by the 429s it answers.
  bool hold_when_spent = false;
};

// What a session tells its caller while it works; the application draws progress from it.
struct SessionListener {
  // A retry is coming after `wait`, because of `reason` ("rate limited (429)" ...).
  std::function<void(std::chrono::milliseconds wait, std::string_view reason)> on_wait;
};

struct SessionCounters {
  std::uint64_t attempts = 0;
  std::uint64_t retries = 0;
  std::uint64_t rate_limited = 0;      // 429 answers
  std::chrono::milliseconds waited{0}; // time spent in retry waits (pacing not included)
};

// Sends requests one after another with pacing and retries. A final answer (2xx, or a client
// error such as 400, 401, 404) comes back as the response, for the caller to judge; what
// retries could not cure (429s, 5xx, timeouts and unreadable bodies beyond the last attempt)
// is a network error, and
// so at once is a body over the client's size cap, which asking again would not shrink.
class Session {
public:
  Session(HttpClient& client, SessionSettings settings, SessionListener listener = {});

  // `extra_headers` go with every attempt of this request (a signature over its body).
  util::Result<HttpResponse> send(const contract::ApiRequest& request,
                                  std::span<const HttpHeader> extra_headers = {});
  // Whether a body passes the settings' check (any body does without one): a stored answer
  // that does not is fetched again rather than reused.
  bool accepts(const contract::ApiRequest& request, std::string_view body) const;
  const SessionCounters& counters() const { return m_counters; }

private:
  void pace();
  // Whether a 2xx answer passes the body check; if not, makes it a failed attempt that says why.
  bool usable(const contract::ApiRequest& request, HttpResponse& response) const;
  double next_jitter_unit();

  HttpClient& m_client;
  SessionSettings m_settings;
  SessionListener m_listener;
  SessionCounters m_counters;
  std::chrono::steady_clock::time_point m_last_start{};
  // Set when an answer said no requests remain in the window: the next waits for its reset.
  std::optional<std::chrono::steady_clock::time_point> m_hold_until;
  bool m_started = false;
  std::uint64_t m_jitter_state;
};

} // namespace reckon::fetch
