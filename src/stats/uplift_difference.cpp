#include "reckon/stats/uplift_difference.hpp"

#include "reckon/stats/parallel.hpp"

#include "arm_sampler.hpp"
#include "draw_estimates.hpp"
#include "draw_workspace.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <vector>

namespace reckon::stats {
namespace {

using detail::ArmSampler;
using detail::k_chunk_draws;

constexpr std::size_t k_arms = 4;

struct Tally {
  std::uint64_t better = 0;
  std::uint64_t zero_control = 0;
};

// Everything one chunk reads and writes, sized before the parallel region.
struct Job {
  std::array<ArmSampler, k_arms> arms;
  std::uint64_t draws;
  std::uint64_t seed;
  std::uint64_t stream;
  Direction direction;
  std::array<std::span<double>, k_arms> samples;
  std::span<double> scratch;
  std::span<Tally> tallies; // one per chunk
};

// Fills the chunk's draws of the four arms and leaves u_second - u_first in the first buffer.
void run_chunk(const Job& job, std::size_t chunk) noexcept {
  const std::uint64_t begin = chunk * k_chunk_draws;
  const std::uint64_t end = std::min(begin + k_chunk_draws, job.draws);
  const auto offset = static_cast<std::size_t>(begin);
  const auto length = static_cast<std::size_t>(end - begin);
  std::array<double*, k_arms> x{};
  for (std::size_t arm = 0; arm < k_arms; ++arm) {
    const detail::StreamKey key{job.seed, job.stream, chunk, static_cast<std::uint32_t>(arm),
                                detail::k_rate_component};
    const std::span<double> out = job.samples[arm].subspan(offset, length);
    detail::fill_arm(job.arms[arm], out, job.scratch.subspan(offset, length), key);
    x[arm] = out.data();
  }
  Tally tally;
  const bool higher = job.direction == Direction::higher_is_better;
  for (std::size_t i = 0; i < length; ++i) {
    tally.zero_control += (x[0][i] == 0.0 || x[2][i] == 0.0) ? 1U : 0U;
    const double first = (x[1][i] - x[0][i]) / std::abs(x[0][i]);
    const double second = (x[3][i] - x[2][i]) / std::abs(x[2][i]);
    const double difference = second - first;
    tally.better += (higher ? difference > 0.0 : difference < 0.0) ? 1U : 0U;
    x[0][i] = difference;
  }
  job.tallies[chunk] = tally;
}

} // namespace

std::optional<UpliftDifference>
compare_uplift_difference(const ArmPair& first, const ArmPair& second, const SamplingPlan& plan,
                          std::uint64_t stream, Direction direction) {
  assert(plan.draws > 0);
  assert(plan.level > 0.0 && plan.level < 1.0);
  const std::uint64_t draws = plan.draws;
  const auto chunks = static_cast<std::size_t>((draws + k_chunk_draws - 1) / k_chunk_draws);
  const detail::DrawWorkspace workspace(k_arms + 1, draws);
  std::vector<Tally> tallies(chunks);
  Job job{{detail::flatten(first.control), detail::flatten(first.variant),
           detail::flatten(second.control), detail::flatten(second.variant)},
          draws,
          plan.seed,
          stream,
          direction,
          {workspace.buffer(0), workspace.buffer(1), workspace.buffer(2), workspace.buffer(3)},
          workspace.buffer(k_arms),
          tallies};
  parallel_for(chunks, [&job](std::size_t chunk) { run_chunk(job, chunk); });

  Tally total; // summed in chunk order
  for (const Tally& tally : tallies) {
    total.better += tally.better;
    total.zero_control += tally.zero_control;
  }
  if (total.zero_control > 0) {
    return std::nullopt;
  }
  const double tail = (1.0 - plan.level) / 2.0;
  const std::array<double, 3> probs{tail, 0.5, 1.0 - tail};
  std::array<detail::Quantile, 3> found{};
  detail::quantiles_with_errors(job.samples[0], probs, found);
  const bool finite = std::all_of(found.begin(), found.end(), [](const detail::Quantile& q) {
    return std::isfinite(q.value) && std::isfinite(q.standard_error);
  });
  if (!finite) {
    return std::nullopt;
  }
  UpliftDifference out;
  out.prob_second_better = detail::probability(total.better, draws);
  out.median = found[1].value;
  out.median_se = found[1].standard_error;
  out.interval = Interval{found[0].value, found[2].value};
  out.interval_se = Interval{found[0].standard_error, found[2].standard_error};
  return out;
}

} // namespace reckon::stats
