#include "pipeline_script.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

namespace reckon::bench {
namespace {

using stats::detail::is_signed;
using stats::detail::Shape;
using ArmDraw = stats::detail::ArmSampler;

// One arm's draws as a script makes them: a vector of Betas, of per-order values, and their
// product.
void std_draws(const ArmDraw& arm, std::mt19937_64& engine, std::vector<double>& out,
               std::vector<double>& temp) {
  const auto betas = [&](std::vector<double>& into) {
    std::gamma_distribution<double> ga(arm.rate.alpha);
    std::gamma_distribution<double> gb(arm.rate.beta);
    for (double& x : into) {
      const double a = ga(engine);
      x = a / (a + gb(engine));
    }
  };
  const auto values = [&](std::vector<double>& into) {
    std::normal_distribution<double> normal;
    for (double& x : into) {
      x = arm.location + arm.scale * normal(engine);
    }
    if (arm.shape == Shape::lognormal || arm.shape == Shape::rate_times_lognormal) {
      for (double& x : into) {
        x = std::exp(x);
      }
    }
  };
  switch (arm.shape) {
  case Shape::beta:
    betas(out);
    return;
  case Shape::lognormal:
  case Shape::normal:
    values(out);
    return;
  case Shape::rate_times_lognormal:
  case Shape::rate_times_normal:
    betas(temp);
    values(out);
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] *= temp[i];
    }
    return;
  }
}

// Type-7 quantiles at ascending `probs` by successive nth_element over what lies above the
// previous rank, as numpy's partition with several kth does. Reorders `values`.
template <std::size_t N>
std::array<double, N> std_quantiles(std::vector<double>& values, std::array<double, N> probs) {
  std::sort(probs.begin(), probs.end());
  std::array<double, N> out{};
  auto from = values.begin();
  for (std::size_t j = 0; j < N; ++j) {
    const double h = static_cast<double>(values.size() - 1) * probs[j];
    const auto k = static_cast<std::ptrdiff_t>(h);
    const auto at = values.begin() + k;
    if (at >= from) {
      std::nth_element(from, at, values.end());
    }
    const double next = at + 1 < values.end() ? *std::min_element(at + 1, values.end()) : *at;
    out[j] = *at + (h - static_cast<double>(k)) * (next - *at);
    from = at + 1;
  }
  return out;
}

// A quantile with its order-statistic window, q - delta, q, q + delta, as the engine's
// standard errors need.
template <std::size_t N>
std::array<double, 3 * N> with_windows(std::array<double, N> probs) {
  std::array<double, 3 * N> out{};
  for (std::size_t j = 0; j < N; ++j) {
    const double delta = std::sqrt(probs[j] * (1.0 - probs[j]) / static_cast<double>(k_draws));
    out[3 * j] = std::max(probs[j] - delta, 0.0);
    out[3 * j + 1] = probs[j];
    out[3 * j + 2] = std::min(probs[j] + delta, 1.0);
  }
  return out;
}

struct ScriptOutput {
  std::vector<double> numbers; // every statistic, so that none is optimised away
};

template <bool Higher>
bool better(double x, double y) {
  return Higher ? x > y : x < y;
}

// The statistics of one cell from its arms' draws: best arm per draw, p2bb, p2bc, the
// expected loss and its SE, then the interval and uplift quantiles with their windows.
template <bool Higher>
void std_reduce(const SampledCell& cell, std::vector<std::vector<double>>& draws,
                std::vector<double>& scratch, std::vector<std::uint32_t>& best_arm,
                std::vector<double>& best, ScriptOutput& out) {
  const std::size_t arms = draws.size();
  const std::vector<double>& control = draws[cell.control];
  best = draws[0];
  std::fill(best_arm.begin(), best_arm.end(), 0U);
  for (std::size_t arm = 1; arm < arms; ++arm) {
    for (std::size_t i = 0; i < k_draws; ++i) {
      if (better<Higher>(draws[arm][i], best[i])) {
        best[i] = draws[arm][i];
        best_arm[i] = static_cast<std::uint32_t>(arm);
      }
    }
  }
  const bool per_draw = !is_signed(cell.arms[cell.control].shape);
  double control_mean = 0.0;
  for (const double c : control) {
    control_mean += c;
  }
  control_mean /= static_cast<double>(k_draws);
  const double n = static_cast<double>(k_draws);
  for (std::size_t arm = 0; arm < arms; ++arm) {
    const std::vector<double>& x = draws[arm];
    std::uint64_t wins = 0;
    std::uint64_t beats = 0;
    double loss = 0.0;
    double loss_sq = 0.0;
    for (std::size_t i = 0; i < k_draws; ++i) {
      wins += best_arm[i] == arm ? 1U : 0U;
      beats += better<Higher>(x[i], control[i]) ? 1U : 0U;
      const double gap = Higher ? best[i] - x[i] : x[i] - best[i];
      const double scaled = per_draw ? gap / std::abs(control[i]) : gap;
      loss += scaled;
      loss_sq += scaled * scaled;
    }
    const double mean = loss / n;
    const double se = std::sqrt(std::max(loss_sq / n - mean * mean, 0.0) / n);
    const double scale = per_draw ? 1.0 : std::abs(control_mean);
    out.numbers.insert(
        out.numbers.end(),
        {static_cast<double>(wins) / n, static_cast<double>(beats) / n, mean / scale, se / scale});
  }
  for (std::size_t arm = 0; arm < arms; ++arm) {
    if (arm == cell.control) {
      continue;
    }
    for (std::size_t i = 0; i < k_draws; ++i) {
      scratch[i] = (draws[arm][i] - control[i]) / std::abs(control[i]);
    }
    for (const double q : std_quantiles(scratch, with_windows(std::array{0.025, 0.5, 0.975}))) {
      out.numbers.push_back(q);
    }
  }
  for (std::size_t arm = 0; arm < arms; ++arm) {
    for (const double q : std_quantiles(draws[arm], with_windows(std::array{0.025, 0.975}))) {
      out.numbers.push_back(q);
    }
  }
}

// One cell, as the script does it: fresh arrays, draws, statistics.
void std_script_cell(const SampledCell& cell, std::mt19937_64& engine, ScriptOutput& out) {
  std::vector<std::vector<double>> draws(cell.arms.size(), std::vector<double>(k_draws));
  std::vector<double> scratch(k_draws);
  std::vector<std::uint32_t> best_arm(k_draws);
  std::vector<double> best(k_draws);
  for (std::size_t arm = 0; arm < cell.arms.size(); ++arm) {
    std_draws(cell.arms[arm], engine, draws[arm], scratch);
  }
  if (cell.direction == stats::Direction::higher_is_better) {
    std_reduce<true>(cell, draws, scratch, best_arm, best, out);
  } else {
    std_reduce<false>(cell, draws, scratch, best_arm, best, out);
  }
}

// Cells of one posterior shape and arm count: all of them, and the spread of them the
// baseline runs.
struct BaselineGroup {
  Shape shape = Shape::beta;
  std::size_t arms = 0;
  std::vector<std::size_t> cells;
  std::vector<std::size_t> subset;
};

std::vector<BaselineGroup> baseline_groups(const Account& account) {
  std::map<std::pair<Shape, std::size_t>, BaselineGroup> groups;
  for (std::size_t i = 0; i < account.sampled.size(); ++i) {
    const SampledCell& cell = account.sampled[i];
    BaselineGroup& group = groups[{cell.arms.front().shape, cell.arms.size()}];
    group.shape = cell.arms.front().shape;
    group.arms = cell.arms.size();
    group.cells.push_back(i);
  }
  std::vector<BaselineGroup> out;
  for (auto& [key, group] : groups) {
    const std::size_t count = group.cells.size();
    const std::size_t picked =
        std::max<std::size_t>(1, (count + k_baseline_stride / 2) / k_baseline_stride);
    for (std::size_t j = 0; j < picked; ++j) {
      // The middle of each of `picked` equal stretches.
      group.subset.push_back(group.cells[(2 * j + 1) * count / (2 * picked)]);
    }
    out.push_back(std::move(group));
  }
  return out;
}

} // namespace

void baseline_script(benchmark::State& state, const Account& account) {
  const std::vector<BaselineGroup> groups = baseline_groups(account);
  std::mt19937_64 engine(1);
  ScriptOutput out;
  std::size_t subset_cells = 0;
  for (const BaselineGroup& group : groups) {
    subset_cells += group.subset.size();
  }
  for (auto _ : state) {
    double account_seconds = 0.0;
    for (const BaselineGroup& group : groups) {
      const auto start = std::chrono::steady_clock::now();
      for (const std::size_t i : group.subset) {
        out.numbers.clear();
        std_script_cell(account.sampled[i], engine, out);
        benchmark::DoNotOptimize(out.numbers.data());
      }
      const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start;
      account_seconds += spent.count() * static_cast<double>(group.cells.size()) /
                         static_cast<double>(group.subset.size());
    }
    state.SetIterationTime(account_seconds);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(account.result_cells));
  state.counters["subset_cells"] = static_cast<double>(subset_cells);
}

} // namespace reckon::bench
