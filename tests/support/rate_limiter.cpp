#include "support/rate_limiter.hpp"

#include <algorithm>
#include <stdexcept>

namespace reckon::test {
namespace {

using Clock = RateLimiter::Clock;

Clock::duration scaled(std::chrono::milliseconds duration, double time_scale) {
  const std::chrono::duration<double, std::milli> exact(static_cast<double>(duration.count()) *
                                                        time_scale);
  return std::max(std::chrono::duration_cast<Clock::duration>(exact), Clock::duration{1});
}

void check(bool condition, const char* reason) {
  if (!condition) {
    throw std::invalid_argument(std::string("rate limits: ") + reason);
  }
}

} // namespace

RateLimiter::RateLimiter(const RateLimitOptions& options, double time_scale)
    : m_harsh(options.harsh), m_time_scale(time_scale), m_cooldowns(options.harsh.seed) {
  check(time_scale > 0, "the time scale must be positive");
  const std::array<const BucketLimits*, 3> limits{&options.experiences, &options.export_data,
                                                  &options.sitewide};
  for (std::size_t i = 0; i < limits.size(); ++i) {
    Bucket& bucket = m_buckets[i];
    if (m_harsh.enabled) {
      check(m_harsh.burst > 0, "the harsh burst must be positive");
      check(m_harsh.min_cooldown.count() > 0 && m_harsh.min_cooldown <= m_harsh.max_cooldown,
            "the harsh cooldown range must be positive and not empty");
      bucket.capacity = m_harsh.burst;
    } else {
      check(limits[i]->capacity > 0, "a capacity must be positive");
      check(limits[i]->refill_tokens > 0, "a refill must be positive");
      check(limits[i]->refill_period.count() > 0, "a refill period must be positive");
      bucket.capacity = limits[i]->capacity;
      bucket.refill_tokens = limits[i]->refill_tokens;
      bucket.period = scaled(limits[i]->refill_period, time_scale);
    }
    bucket.tokens = bucket.capacity;
  }
}

RateDecision RateLimiter::take(RateGroup group, Clock::time_point now) {
  const std::lock_guard lock(m_mutex);
  Bucket& bucket = m_buckets[static_cast<std::size_t>(group)];
  return m_harsh.enabled ? take_harsh(bucket, now) : take_refilling(bucket, now);
}

RateDecision RateLimiter::take_refilling(Bucket& bucket, Clock::time_point now) const {
  if (bucket.tokens < bucket.capacity && now >= bucket.mark) {
    const auto periods = std::min<Clock::rep>((now - bucket.mark) / bucket.period, bucket.capacity);
    bucket.tokens = std::min<int>(bucket.capacity,
                                  bucket.tokens + static_cast<int>(periods) * bucket.refill_tokens);
    bucket.mark += periods * bucket.period;
  }
  RateDecision decision;
  decision.limit = bucket.capacity;
  decision.allowed = bucket.tokens > 0;
  if (decision.allowed) {
    if (bucket.tokens == bucket.capacity) {
      bucket.mark = now;
    }
    --bucket.tokens;
  }
  decision.remaining = bucket.tokens;
  const auto next_refill = bucket.mark + bucket.period - now;
  if (!decision.allowed) {
    decision.retry_after = next_refill;
  }
  if (bucket.tokens < bucket.capacity) {
    const int missing = bucket.capacity - bucket.tokens;
    const int refills = (missing + bucket.refill_tokens - 1) / bucket.refill_tokens;
    decision.until_full = next_refill + (refills - 1) * bucket.period;
  }
  return decision;
}

RateDecision RateLimiter::take_harsh(Bucket& bucket, Clock::time_point now) {
  if (bucket.cooling && now >= bucket.mark) {
    bucket.cooling = false;
    bucket.tokens = bucket.capacity;
  }
  RateDecision decision;
  decision.limit = bucket.capacity;
  decision.allowed = !bucket.cooling;
  if (decision.allowed) {
    --bucket.tokens;
    if (bucket.tokens == 0) {
      const auto span =
          static_cast<std::uint64_t>((m_harsh.max_cooldown - m_harsh.min_cooldown).count() + 1);
      const std::chrono::milliseconds cooldown =
          m_harsh.min_cooldown +
          std::chrono::milliseconds(static_cast<std::int64_t>(m_cooldowns() % span));
      bucket.cooling = true;
      bucket.mark = now + scaled(cooldown, m_time_scale);
    }
  }
  decision.remaining = bucket.tokens;
  if (bucket.cooling) {
    decision.until_full = bucket.mark - now;
    if (!decision.allowed) {
      decision.retry_after = decision.until_full;
    }
  }
  return decision;
}

} // namespace reckon::test
