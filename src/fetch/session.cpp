#include "reckon/fetch/session.hpp"

#include <thread>

namespace reckon::fetch {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

std::string describe_failure(const HttpResponse& response) {
  if (response.status == 0) {
    return response.transport_error;
  }
  return "HTTP " + std::to_string(response.status);
}

} // namespace

Session::Session(HttpClient& client, SessionSettings settings, SessionListener listener)
    : m_client(client), m_settings(settings), m_listener(std::move(listener)),
      m_jitter_state(settings.jitter_seed ^ 0x9E3779B97F4A7C15ULL) {}

void Session::pace() {
  if (m_hold_until) {
    std::this_thread::sleep_until(*m_hold_until);
    m_hold_until.reset();
  }
  if (m_settings.requests_per_second <= 0.0) {
    return;
  }
  const auto interval = std::chrono::duration_cast<steady_clock::duration>(
      std::chrono::duration<double>(1.0 / m_settings.requests_per_second));
  if (m_started) {
    std::this_thread::sleep_until(m_last_start + interval);
  }
  m_last_start = steady_clock::now();
  m_started = true;
}

// SplitMix64: the jitter only has to differ between clients and attempts.
double Session::next_jitter_unit() {
  std::uint64_t z = (m_jitter_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

bool Session::accepts(const contract::ApiRequest& request, std::string_view body) const {
  return !m_settings.check_body || m_settings.check_body(request, body);
}

bool Session::usable(const contract::ApiRequest& request, HttpResponse& response) const {
  if (!m_settings.check_body) {
    return true;
  }
  const util::Result<void> checked = m_settings.check_body(request, response.body);
  if (checked) {
    return true;
  }
  // A body cut short or garbled on the way may come whole next time: a failed attempt.
  response.transport_error = "HTTP " + std::to_string(response.status) +
                             " with a body that cannot be read (" + checked.error().describe() +
                             ")";
  response.status = 0;
  response.body.clear();
  return false;
}

util::Result<HttpResponse> Session::send(const contract::ApiRequest& request,
                                         std::span<const HttpHeader> extra_headers) {
  for (int attempt = 1;; ++attempt) {
    pace();
    ++m_counters.attempts;
    HttpResponse response = m_client.perform(request, extra_headers);
    const bool answered = response.status >= 200 && response.status < 300;
    if (answered && usable(request, response)) {
      // The window is spent: the next request waits for its reset instead of drawing a 429.
      if (m_settings.hold_when_spent && response.hints.remaining == 0U && response.hints.reset_in) {
        m_hold_until =
            steady_clock::now() + std::min(*response.hints.reset_in, m_settings.retry.max_wait);
      }
      return response;
    }
    if (response.status == 429) {
      ++m_counters.rate_limited;
    }
    const std::string where = request.method + " " + request.path;
    if (response.over_size_cap) {
      return util::make_error(util::ErrorCode::network, where, response.transport_error);
    }
    const RetryDecision decision = decide_retry(AttemptOutcome{response.status, response.hints},
                                                attempt, m_settings.retry, next_jitter_unit());
    if (!decision.retry) {
      if (response.status >= 400 && response.status < 500 && response.status != 429) {
        return response; // final: the caller knows what each client error means
      }
      return util::make_error(util::ErrorCode::network, where,
                              answered ? response.transport_error + "; gave up after " +
                                             std::to_string(attempt) + " attempts"
                                       : describe_failure(response) + ": " + decision.reason);
    }
    ++m_counters.retries;
    m_counters.waited += decision.wait;
    if (m_listener.on_wait) {
      m_listener.on_wait(decision.wait, answered ? "unreadable body" : decision.reason);
    }
    std::this_thread::sleep_for(decision.wait);
  }
}

} // namespace reckon::fetch
