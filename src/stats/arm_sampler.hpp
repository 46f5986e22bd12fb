#pragma once

#include "reckon/stats/monte_carlo.hpp"

#include "batch_sampling.hpp"

#include <cstdint>
#include <span>

namespace reckon::stats::detail {

// Draws per chunk: the unit of parallel work and of random-number keying. A constant, never
// derived from the thread count, so that results are the same on any machine.
inline constexpr std::uint64_t k_chunk_draws = 8192;
// Stream components within an arm (batch_sampling.hpp's StreamKey).
inline constexpr std::uint32_t k_rate_component = 0;
inline constexpr std::uint32_t k_value_component = 1;

enum class Shape { beta, lognormal, normal, rate_times_lognormal, rate_times_normal };

// An arm's posterior flattened for the kernel: `rate` for the Beta part, and (location, scale)
// for the per-order value part: (log_location, log_scale) or (mean, sd).
struct ArmSampler {
  Shape shape = Shape::beta;
  BetaParams rate;
  double location = 0.0;
  double scale = 0.0;
};

ArmSampler flatten(const ArmPosterior& posterior);

// Draws of a Normal or rate-times-Normal posterior can be negative or zero.
bool is_signed(Shape shape);

// Fills `out` with one arm's draws for one chunk; `temp`, as long, holds a rate factor. The
// key names the chunk and arm; its component is set here. compare_arms draws through this,
// and so does the pipeline benchmark that times sampling alone.
void fill_arm(const ArmSampler& arm, std::span<double> out, std::span<double> temp,
              StreamKey key) noexcept;

} // namespace reckon::stats::detail
