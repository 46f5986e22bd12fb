#include "reckon/stats/monte_carlo.hpp"

#include "reckon/stats/parallel.hpp"

#include "arm_sampler.hpp"
#include "batch_sampling.hpp"
#include "beta_validity.hpp"
#include "draw_estimates.hpp"
#include "draw_workspace.hpp"
#include "sample_quantile.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

namespace reckon::stats {

namespace {

using detail::ArmSampler;
using detail::fill_arm;
using detail::is_signed;
using detail::probability;
using detail::Quantile;
using detail::quantiles_with_errors;
using detail::Shape;

using detail::k_chunk_draws;
using detail::k_rate_component;
// Draws per reduction block: the block's best values, best arms and control weights sit in
// stack arrays small enough for L1.
constexpr std::size_t k_block_draws = 256;
// compare_arms' precondition: finite parameters, and no log-normal draw can overflow (a
// standard normal draw stays within +-12).
[[maybe_unused]] bool is_valid(const ArmSampler& arm) {
  const bool log_scale = arm.shape == Shape::lognormal || arm.shape == Shape::rate_times_lognormal;
  const bool has_rate = arm.shape != Shape::lognormal && arm.shape != Shape::normal;
  return std::isfinite(arm.location) && std::isfinite(arm.scale) && arm.scale >= 0.0 &&
         (!log_scale || arm.location + 12.0 * arm.scale < 700.0) &&
         (!has_rate || detail::is_valid(arm.rate));
}

// E[theta^-r] is finite exactly for r below this: the Beta factor's alpha, or without one (a
// log-normal) for every r.
double inverse_moment_limit(const ArmSampler& arm) {
  return arm.shape == Shape::lognormal ? std::numeric_limits<double>::infinity() : arm.rate.alpha;
}

// How the loss gap is scaled: by 1 / |control| per draw, or left raw, to be divided by
// |E[control]| once at the end (controls whose draws can be negative).
enum class LossBase { per_draw, control_mean };

// Per-chunk tallies, in slots indexed by chunk (and arm), reduced in chunk order afterwards.
struct Tallies {
  Tallies(std::size_t chunks, std::size_t arms)
      : best(chunks * arms), beat_control(chunks * arms), loss(chunks * arms),
        loss_squares(chunks * arms), zero_control(chunks), control_sum(chunks) {}

  std::vector<std::uint64_t> best;
  std::vector<std::uint64_t> beat_control;
  std::vector<double> loss;
  std::vector<double> loss_squares;
  std::vector<std::uint64_t> zero_control;
  std::vector<double> control_sum;
};

// Everything one chunk reads and writes, all sized before the parallel region.
struct Cell {
  std::span<const ArmSampler> arms;
  std::size_t control;
  Direction direction;
  LossBase loss_base;
  std::uint64_t draws;
  std::uint64_t seed;
  std::uint64_t stream;
  std::span<const std::span<double>> samples; // one buffer per arm, draws long
  std::span<double> scratch;                  // draws long; a chunk uses only its own slice
  Tallies& tallies;
};

template <Direction D>
bool better(double x, double y) {
  if constexpr (D == Direction::higher_is_better) {
    return x > y;
  } else {
    return x < y;
  }
}

// Four doubles that add lane by lane: add_losses' four accumulators in one vector register.
// Written as four scalars, they were vectorised eight draws wide and then added back one lane
// at a time, a chain of scalar adds that cost the tally a third of its time.
using Lanes4 = double __attribute__((vector_size(4 * sizeof(double))));

Lanes4 load4(const double* from) noexcept {
  Lanes4 lanes;
  std::memcpy(&lanes, from, sizeof lanes);
  return lanes;
}

// Adds sum(gap) and sum(gap^2) over one block for N arms at once, gap = |best - x| in the
// metric's direction, scaled per draw or not. Four interleaved accumulators per sum (lane j
// takes draws j, j + 4, ..., a fixed order, so the same on every machine), and N arms' sums
// side by side, keep the adds from waiting on each other.
template <Direction D, LossBase L, std::size_t N>
void add_losses(const std::array<const double*, N>& xs, const double* best, const double* weight,
                std::size_t size, const std::array<double*, N>& losses,
                const std::array<double*, N>& squares) noexcept {
  std::array<Lanes4, N> sum{};
  std::array<Lanes4, N> sum_sq{};
  std::size_t i = 0;
  for (; i + 4 <= size; i += 4) {
    for (std::size_t k = 0; k < N; ++k) {
      Lanes4 g = D == Direction::higher_is_better ? load4(best + i) - load4(xs[k] + i)
                                                  : load4(xs[k] + i) - load4(best + i);
      if constexpr (L == LossBase::per_draw) {
        g *= load4(weight + i);
      }
      sum[k] += g;
      sum_sq[k] += g * g;
    }
  }
  for (; i < size; ++i) {
    for (std::size_t k = 0; k < N; ++k) {
      double g = D == Direction::higher_is_better ? best[i] - xs[k][i] : xs[k][i] - best[i];
      if constexpr (L == LossBase::per_draw) {
        g *= weight[i];
      }
      sum[k][0] += g;
      sum_sq[k][0] += g * g;
    }
  }
  for (std::size_t k = 0; k < N; ++k) {
    *losses[k] += (sum[k][0] + sum[k][1]) + (sum[k][2] + sum[k][3]);
    *squares[k] += (sum_sq[k][0] + sum_sq[k][1]) + (sum_sq[k][2] + sum_sq[k][3]);
  }
}

// Tallies draws [begin, begin + size) of every arm into the chunk's slots. Ties, of measure
// zero, go to the lowest arm index, so that best counts sum to the draws.
template <Direction D, LossBase L>
void tally_block(const Cell& cell, std::size_t chunk, std::uint64_t begin,
                 std::size_t size) noexcept {
  const std::size_t arms = cell.arms.size();
  std::array<double, k_block_draws> best;
  std::array<std::uint32_t, k_block_draws> best_arm;
  std::array<double, k_block_draws> weight;

  const double* first = cell.samples[0].data() + begin;
  for (std::size_t i = 0; i < size; ++i) {
    best[i] = first[i];
    best_arm[i] = 0;
  }
  for (std::size_t arm = 1; arm < arms; ++arm) {
    const double* x = cell.samples[arm].data() + begin;
    const auto label = static_cast<std::uint32_t>(arm);
    for (std::size_t i = 0; i < size; ++i) {
      const bool wins = better<D>(x[i], best[i]);
      best[i] = wins ? x[i] : best[i];
      best_arm[i] = wins ? label : best_arm[i];
    }
  }

  const double* control = cell.samples[cell.control].data() + begin;
  std::uint64_t zeros = 0;
  for (std::size_t i = 0; i < size; ++i) {
    zeros += control[i] == 0.0 ? 1U : 0U;
  }
  cell.tallies.zero_control[chunk] += zeros;
  if constexpr (L == LossBase::per_draw) {
    // A zero control draw gets weight 0 here; its loss is reported absent anyway.
    for (std::size_t i = 0; i < size; ++i) {
      weight[i] = control[i] == 0.0 ? 0.0 : 1.0 / std::abs(control[i]);
    }
  } else {
    double sum = 0.0;
    for (std::size_t i = 0; i < size; ++i) {
      sum += control[i];
    }
    cell.tallies.control_sum[chunk] += sum;
  }

  for (std::size_t arm = 0; arm < arms; ++arm) {
    const double* x = cell.samples[arm].data() + begin;
    const auto label = static_cast<std::uint32_t>(arm);
    std::uint64_t wins = 0;
    std::uint64_t beats = 0;
    for (std::size_t i = 0; i < size; ++i) {
      wins += best_arm[i] == label ? 1U : 0U;
      beats += better<D>(x[i], control[i]) ? 1U : 0U;
    }
    const std::size_t slot = chunk * arms + arm;
    cell.tallies.best[slot] += wins;
    cell.tallies.beat_control[slot] += beats;
  }
  // Losses two arms at a time (each arm's sums in their own order, whatever the pairing).
  const auto arm_slot = [&](std::size_t arm) { return chunk * arms + arm; };
  const auto x_of = [&](std::size_t arm) { return cell.samples[arm].data() + begin; };
  std::size_t arm = 0;
  for (; arm + 2 <= arms; arm += 2) {
    add_losses<D, L, 2>(
        {x_of(arm), x_of(arm + 1)}, best.data(), weight.data(), size,
        {&cell.tallies.loss[arm_slot(arm)], &cell.tallies.loss[arm_slot(arm + 1)]},
        {&cell.tallies.loss_squares[arm_slot(arm)], &cell.tallies.loss_squares[arm_slot(arm + 1)]});
  }
  if (arm < arms) {
    add_losses<D, L, 1>({x_of(arm)}, best.data(), weight.data(), size,
                        {&cell.tallies.loss[arm_slot(arm)]},
                        {&cell.tallies.loss_squares[arm_slot(arm)]});
  }
}

template <Direction D, LossBase L>
void tally_chunk(const Cell& cell, std::size_t chunk, std::uint64_t begin,
                 std::uint64_t end) noexcept {
  for (std::uint64_t block = begin; block < end; block += k_block_draws) {
    const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(k_block_draws, end - block));
    tally_block<D, L>(cell, chunk, block, size);
  }
}

// Fills the chunk's slice of every arm's samples and tallies it. Allocates nothing, throws
// nothing.
void run_chunk(const Cell& cell, std::size_t chunk) noexcept {
  const std::uint64_t begin = chunk * k_chunk_draws;
  const std::uint64_t end = std::min(begin + k_chunk_draws, cell.draws);
  const auto offset = static_cast<std::size_t>(begin);
  const auto length = static_cast<std::size_t>(end - begin);
  const std::span<double> temp = cell.scratch.subspan(offset, length);
  for (std::size_t arm = 0; arm < cell.arms.size(); ++arm) {
    const detail::StreamKey key{cell.seed, cell.stream, chunk, static_cast<std::uint32_t>(arm),
                                k_rate_component};
    fill_arm(cell.arms[arm], std::span(cell.samples[arm]).subspan(offset, length), temp, key);
  }
  const bool higher = cell.direction == Direction::higher_is_better;
  if (cell.loss_base == LossBase::per_draw) {
    higher ? tally_chunk<Direction::higher_is_better, LossBase::per_draw>(cell, chunk, begin, end)
           : tally_chunk<Direction::lower_is_better, LossBase::per_draw>(cell, chunk, begin, end);
  } else {
    higher
        ? tally_chunk<Direction::higher_is_better, LossBase::control_mean>(cell, chunk, begin, end)
        : tally_chunk<Direction::lower_is_better, LossBase::control_mean>(cell, chunk, begin, end);
  }
}

struct Totals {
  explicit Totals(std::size_t arms)
      : best(arms, 0), beat_control(arms, 0), loss(arms, 0.0), loss_squares(arms, 0.0) {}

  std::vector<std::uint64_t> best;
  std::vector<std::uint64_t> beat_control;
  std::vector<double> loss;
  std::vector<double> loss_squares;
  std::uint64_t zero_control = 0;
  double control_sum = 0.0;
};

// Sums the chunks' tallies in chunk order, so that the totals do not depend on the threads.
Totals reduce(const Tallies& tallies, std::size_t chunks, std::size_t arms) {
  Totals totals(arms);
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    for (std::size_t arm = 0; arm < arms; ++arm) {
      const std::size_t slot = chunk * arms + arm;
      totals.best[arm] += tallies.best[slot];
      totals.beat_control[arm] += tallies.beat_control[slot];
      totals.loss[arm] += tallies.loss[slot];
      totals.loss_squares[arm] += tallies.loss_squares[slot];
    }
    totals.zero_control += tallies.zero_control[chunk];
    totals.control_sum += tallies.control_sum[chunk];
  }
  return totals;
}

struct Loss {
  std::optional<double> value;
  std::optional<double> standard_error;
};

// The expected loss of one arm and its error under the conventions ArmSummary documents.
Loss expected_loss(const Totals& totals, std::span<const ArmSampler> arms, std::size_t control,
                   std::size_t arm, Direction direction, LossBase base, std::uint64_t draws) {
  const double n = static_cast<double>(draws);
  const double mean = totals.loss[arm] / n;
  const double variance =
      std::max(totals.loss_squares[arm] / n - mean * mean, 0.0) * n / std::max(n - 1.0, 1.0);
  const double standard_error = std::sqrt(variance / n);
  Loss loss;
  if (base == LossBase::control_mean) {
    const double scale = std::abs(totals.control_sum / n);
    if (scale > 0.0 && std::isfinite(mean / scale) && std::isfinite(standard_error / scale)) {
      loss.value = mean / scale;
      loss.standard_error = standard_error / scale;
    }
    return loss;
  }
  if (totals.zero_control > 0) {
    return loss;
  }
  // The gap is at most the control itself where it vanishes with the control: the control's
  // own gap when lower is better, and the other arm's when higher is better with two arms.
  // Both need every arm's draws positive.
  const bool positive = std::none_of(arms.begin(), arms.end(),
                                     [](const ArmSampler& x) { return is_signed(x.shape); });
  const bool bounded =
      positive && (direction == Direction::higher_is_better ? arms.size() == 2 && arm != control
                                                            : arm == control);
  const double limit = inverse_moment_limit(arms[control]);
  // A subnormal control draw can overflow 1 / control even where no draw is zero.
  if ((bounded || limit > 1.0) && std::isfinite(mean)) {
    loss.value = mean;
    if ((bounded || limit > 2.0) && std::isfinite(standard_error)) {
      loss.standard_error = standard_error;
    }
  }
  return loss;
}

} // namespace

std::vector<ArmSummary> compare_arms(std::span<const ArmPosterior> arms, std::size_t control,
                                     const SamplingPlan& plan, std::uint64_t stream,
                                     Direction direction) {
  assert(arms.size() >= 2);
  assert(arms.size() <= std::numeric_limits<std::uint32_t>::max());
  assert(control < arms.size());
  assert(plan.draws > 0);
  assert(plan.level > 0.0 && plan.level < 1.0);
  const std::size_t arm_count = arms.size();
  const std::uint64_t draws = plan.draws;
  const auto chunks = static_cast<std::size_t>((draws + k_chunk_draws - 1) / k_chunk_draws);

  std::vector<ArmSampler> samplers;
  samplers.reserve(arm_count);
  for (const ArmPosterior& arm : arms) {
    samplers.push_back(detail::flatten(arm));
    assert(is_valid(samplers.back()));
  }
  const LossBase loss_base =
      is_signed(samplers[control].shape) ? LossBase::control_mean : LossBase::per_draw;

  const detail::DrawWorkspace workspace(arm_count + 1, draws);
  std::vector<std::span<double>> samples(arm_count);
  for (std::size_t arm = 0; arm < arm_count; ++arm) {
    samples[arm] = workspace.buffer(arm);
  }
  const std::span<double> scratch = workspace.buffer(arm_count);
  Tallies tallies(chunks, arm_count);
  const Cell cell{samplers,  control, direction, loss_base, draws,
                  plan.seed, stream,  samples,   scratch,   tallies};
  parallel_for(chunks, [&cell](std::size_t chunk) { run_chunk(cell, chunk); });
  const Totals totals = reduce(tallies, chunks, arm_count);

  const double tail = (1.0 - plan.level) / 2.0;
  const std::array<double, 2> interval_probs{tail, 1.0 - tail};
  const std::array<double, 3> uplift_probs{tail, 0.5, 1.0 - tail};
  std::array<Quantile, 3> found{};

  std::vector<ArmSummary> result(arm_count);
  // Uplifts first: they read every arm's draws in order. Each arm's own quantiles then select
  // in its draws in place, with no copy.
  const double* base = samples[control].data();
  for (std::size_t arm = 0; arm < arm_count; ++arm) {
    // A control draw of zero makes that draw's uplift infinite, so no quantile is defined.
    if (arm == control || totals.zero_control > 0) {
      continue;
    }
    const double* x = samples[arm].data();
    for (std::size_t i = 0; i < scratch.size(); ++i) {
      scratch[i] = (x[i] - base[i]) / std::abs(base[i]);
    }
    quantiles_with_errors(scratch, uplift_probs, found);
    const bool finite = std::all_of(found.begin(), found.end(), [](const Quantile& q) {
      return std::isfinite(q.value) && std::isfinite(q.standard_error);
    });
    if (finite) {
      ArmSummary& summary = result[arm];
      summary.uplift = Interval{found[0].value, found[2].value};
      summary.uplift_se = Interval{found[0].standard_error, found[2].standard_error};
      summary.uplift_median = found[1].value;
    }
  }
  for (std::size_t arm = 0; arm < arm_count; ++arm) {
    ArmSummary& summary = result[arm];
    quantiles_with_errors(samples[arm], interval_probs, std::span(found).first(2));
    summary.credible = Interval{found[0].value, found[1].value};
    summary.credible_se = Interval{found[0].standard_error, found[1].standard_error};
    summary.prob_best = probability(totals.best[arm], draws);
    const Loss loss = expected_loss(totals, samplers, control, arm, direction, loss_base, draws);
    summary.expected_loss = loss.value;
    summary.expected_loss_se = loss.standard_error;
    if (arm != control) {
      summary.prob_beat_control = probability(totals.beat_control[arm], draws);
    }
  }
  return result;
}

} // namespace reckon::stats
