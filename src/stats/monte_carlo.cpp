#include "reckon/stats/monte_carlo.hpp"

#include "reckon/stats/parallel.hpp"

#include "gamma_sampler.hpp"
#include "philox_stream.hpp"
#include "sample_quantile.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

namespace reckon::stats {

namespace {

// Draws per chunk: the unit of parallel work and of random-number keying. A constant, never
// derived from the thread count, so that results are the same on any machine.
constexpr std::uint64_t k_chunk_draws = 8192;

// Per-chunk tallies, in slots indexed by chunk (and arm), reduced in chunk order afterwards.
struct Tallies {
  Tallies(std::size_t chunks, std::size_t arms)
      : best(chunks * arms), beat_control(chunks * arms), loss(chunks * arms),
        zero_control(chunks) {}

  std::vector<std::uint64_t> best;
  std::vector<std::uint64_t> beat_control;
  std::vector<double> loss;
  std::vector<std::uint64_t> zero_control;
};

// Everything one chunk reads and writes, all sized before the parallel region.
struct Cell {
  std::span<const detail::BetaSampler> samplers;
  std::size_t control;
  std::uint64_t draws;
  std::uint64_t seed;
  std::uint64_t stream;
  std::span<std::vector<double>> samples; // one vector per arm, draws long
  Tallies& tallies;
};

// Fills the chunk's slice of every arm's samples and tallies it. Allocates nothing, throws
// nothing.
void run_chunk(const Cell& cell, std::size_t chunk) noexcept {
  const std::size_t arms = cell.samplers.size();
  const std::uint64_t begin = chunk * k_chunk_draws;
  const std::uint64_t end = std::min(begin + k_chunk_draws, cell.draws);
  for (std::size_t arm = 0; arm < arms; ++arm) {
    detail::PhiloxStream rng(cell.seed, cell.stream, chunk, arm);
    double* out = cell.samples[arm].data();
    for (std::uint64_t i = begin; i < end; ++i) {
      out[i] = cell.samplers[arm].draw(rng);
    }
  }

  std::uint64_t* best_count = &cell.tallies.best[chunk * arms];
  std::uint64_t* beat_count = &cell.tallies.beat_control[chunk * arms];
  double* loss_sum = &cell.tallies.loss[chunk * arms];
  std::uint64_t zero_control = 0;
  for (std::uint64_t i = begin; i < end; ++i) {
    const double control = cell.samples[cell.control][i];
    // Ties, of measure zero, go to the lowest index, so that best counts sum to the draws.
    std::size_t best = 0;
    double best_value = cell.samples[0][i];
    for (std::size_t arm = 1; arm < arms; ++arm) {
      const double value = cell.samples[arm][i];
      if (value > best_value) {
        best = arm;
        best_value = value;
      }
    }
    ++best_count[best];
    for (std::size_t arm = 0; arm < arms; ++arm) {
      beat_count[arm] += cell.samples[arm][i] > control ? 1U : 0U;
    }
    if (control == 0.0) {
      ++zero_control;
      continue;
    }
    // Only arms below the best lose, each by (best - arm) / control.
    const double inv_control = 1.0 / control;
    for (std::size_t arm = 0; arm < arms; ++arm) {
      loss_sum[arm] += (best_value - cell.samples[arm][i]) * inv_control;
    }
  }
  cell.tallies.zero_control[chunk] = zero_control;
}

// The posterior SD of a hit fraction k/n under a uniform prior, Beta(k + 1, n - k + 1): close
// to the binomial standard error, but never zero when k is 0 or n.
double hit_fraction_error(std::uint64_t hits, std::uint64_t draws) {
  const double k = static_cast<double>(hits);
  const double n = static_cast<double>(draws);
  return std::sqrt((k + 1.0) * (n - k + 1.0) / ((n + 2.0) * (n + 2.0) * (n + 3.0)));
}

Probability probability(std::uint64_t hits, std::uint64_t draws) {
  return Probability{static_cast<double>(hits) / static_cast<double>(draws),
                     hit_fraction_error(hits, draws)};
}

// E[1 / control] is infinite when the control's alpha is at most 1, and with it the expected
// loss of any arm whose loss does not vanish as the control goes to zero: the control itself,
// and every arm once a third arm can be best. A finite Monte Carlo average would hide that.
bool loss_is_finite(std::span<const BetaParams> arms, std::size_t control, std::size_t arm) {
  return arms[control].alpha > 1.0 || (arms.size() == 2 && arm != control);
}

} // namespace

std::vector<ArmSummary> compare_beta_arms(std::span<const BetaParams> arms, std::size_t control,
                                          const SamplingPlan& plan, std::uint64_t stream) {
  assert(arms.size() >= 2);
  assert(control < arms.size());
  assert(plan.draws > 0);
  assert(plan.level > 0.0 && plan.level < 1.0);
  const std::size_t arm_count = arms.size();
  const std::uint64_t draws = plan.draws;
  const std::size_t chunks = static_cast<std::size_t>((draws + k_chunk_draws - 1) / k_chunk_draws);

  std::vector<detail::BetaSampler> samplers;
  samplers.reserve(arm_count);
  for (const BetaParams& arm : arms) {
    samplers.emplace_back(arm.alpha, arm.beta);
  }
  std::vector<std::vector<double>> samples(arm_count, std::vector<double>(draws));
  Tallies tallies(chunks, arm_count);
  const Cell cell{samplers, control, draws, plan.seed, stream, samples, tallies};
  parallel_for(chunks, [&cell](std::size_t chunk) { run_chunk(cell, chunk); });

  std::vector<std::uint64_t> best(arm_count, 0);
  std::vector<std::uint64_t> beat_control(arm_count, 0);
  std::vector<double> loss(arm_count, 0.0);
  std::uint64_t zero_control = 0;
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    for (std::size_t arm = 0; arm < arm_count; ++arm) {
      best[arm] += tallies.best[chunk * arm_count + arm];
      beat_control[arm] += tallies.beat_control[chunk * arm_count + arm];
      loss[arm] += tallies.loss[chunk * arm_count + arm];
    }
    zero_control += tallies.zero_control[chunk];
  }

  const double tail = (1.0 - plan.level) / 2.0;
  const std::array<double, 2> interval_probs{tail, 1.0 - tail};
  const std::array<double, 3> uplift_probs{tail, 0.5, 1.0 - tail};
  std::array<double, 3> found{};
  std::vector<double> scratch(draws);
  const std::vector<double>& control_samples = samples[control];

  std::vector<ArmSummary> result(arm_count);
  for (std::size_t arm = 0; arm < arm_count; ++arm) {
    ArmSummary& summary = result[arm];
    std::copy(samples[arm].begin(), samples[arm].end(), scratch.begin());
    detail::select_quantiles(scratch, interval_probs, std::span(found).first(2));
    summary.credible = Interval{found[0], found[1]};
    summary.prob_best = probability(best[arm], draws);
    const double mean_loss = loss[arm] / static_cast<double>(draws);
    // A subnormal control draw can overflow 1 / control even where no draw is zero.
    if (zero_control == 0 && loss_is_finite(arms, control, arm) && std::isfinite(mean_loss)) {
      summary.expected_loss = mean_loss;
    }
    if (arm == control) {
      continue;
    }
    summary.prob_beat_control = probability(beat_control[arm], draws);
    // A control draw of zero makes that draw's uplift infinite, so no quantile is defined.
    if (zero_control == 0) {
      std::transform(samples[arm].begin(), samples[arm].end(), control_samples.begin(),
                     scratch.begin(), [](double value, double base) { return value / base - 1.0; });
      detail::select_quantiles(scratch, uplift_probs, found);
      if (std::isfinite(found[2])) {
        summary.uplift = Interval{found[0], found[2]};
        summary.uplift_median = found[1];
      }
    }
  }
  return result;
}

} // namespace reckon::stats
