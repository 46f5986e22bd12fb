#include "reckon/fetch/retry_policy.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace reckon::fetch {
namespace {

using std::chrono::milliseconds;

bool is_transient(int status) {
  return status == 0 || status == 429 || status >= 500;
}

std::string describe(int status) {
  if (status == 0) {
    return "no response (timeout or connection failure)";
  }
  if (status == 429) {
    return "rate limited (429)";
  }
  if (status >= 500) {
    return "server error " + std::to_string(status);
  }
  return "HTTP " + std::to_string(status) + " is final";
}

milliseconds backoff(int attempt, const RetryPolicy& policy, double jitter_unit) {
  const double doubling = std::ldexp(1.0, std::min(attempt - 1, 30));
  const double base = static_cast<double>(policy.first_backoff.count()) * doubling;
  const double spread = base * policy.jitter * (2.0 * jitter_unit - 1.0);
  return milliseconds(static_cast<milliseconds::rep>(std::llround(base + spread)));
}

} // namespace

RetryDecision decide_retry(const AttemptOutcome& outcome, int attempt, const RetryPolicy& policy,
                           double jitter_unit) {
  assert(attempt >= 1 && jitter_unit >= 0.0 && jitter_unit < 1.0);
  RetryDecision decision;
  decision.reason = describe(outcome.http_status);
  if (!is_transient(outcome.http_status)) {
    return decision;
  }
  if (attempt >= policy.max_attempts) {
    decision.reason += "; gave up after " + std::to_string(attempt) + " attempts";
    return decision;
  }
  // The server knows best when its bucket refills; without a hint, back off exponentially.
  const RetryHints& hints = outcome.hints;
  milliseconds wait = backoff(attempt, policy, jitter_unit);
  if (hints.retry_after || hints.reset_in) {
    wait = std::max(hints.retry_after.value_or(milliseconds(0)),
                    hints.reset_in.value_or(milliseconds(0)));
  }
  decision.retry = true;
  decision.wait = std::clamp(wait, milliseconds(0), policy.max_wait);
  return decision;
}

} // namespace reckon::fetch
