// Beta sampling and the two-arm cell, each beside a std:: baseline doing the same work in the
// same run, so that results read as ratios. Rates are Beta draws per second.
#include "reckon/stats/exact.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/parallel.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using reckon::stats::BetaParams;

constexpr std::uint64_t k_draws = 100'000;
// stats-anchors C3: 200/10000 vs 240/10000 under Beta(1, 1).
constexpr std::array<BetaParams, 2> k_cell{BetaParams{201, 9801}, BetaParams{241, 9761}};

// The baseline sampler: Mersenne Twister and two std::gamma_distribution draws per Beta.
class StdBeta {
public:
  StdBeta(double alpha, double beta) : m_alpha(alpha), m_beta(beta) {}

  double operator()(std::mt19937_64& engine) {
    const double ga = m_alpha(engine);
    return ga / (ga + m_beta(engine));
  }

private:
  std::gamma_distribution<double> m_alpha;
  std::gamma_distribution<double> m_beta;
};

void BM_std_beta_draws(benchmark::State& state) {
  std::mt19937_64 engine(1);
  StdBeta beta(k_cell[0].alpha, k_cell[0].beta);
  std::vector<double> out(k_draws);
  for (auto _ : state) {
    std::generate(out.begin(), out.end(), [&] { return beta(engine); });
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(k_draws));
}
BENCHMARK(BM_std_beta_draws);

// type-7 quantile by selection, as the engine computes it.
double quantile(std::vector<double>& values, double p) {
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto k = static_cast<std::ptrdiff_t>(h);
  std::nth_element(values.begin(), values.begin() + k, values.end());
  const double low = values[static_cast<std::size_t>(k)];
  const double next = *std::min_element(values.begin() + k + 1, values.end());
  return low + (h - static_cast<double>(k)) * (next - low);
}

// The work of compare_beta_arms on a two-arm cell, done with the baseline sampler: draws,
// p2bb/p2bc counts, relative losses, arm and uplift quantiles (by plain nth_element).
void BM_std_two_arm_cell(benchmark::State& state) {
  std::mt19937_64 engine(1);
  StdBeta control(k_cell[0].alpha, k_cell[0].beta);
  StdBeta variant(k_cell[1].alpha, k_cell[1].beta);
  for (auto _ : state) {
    // Allocated per cell, as compare_beta_arms must.
    std::vector<double> a(k_draws);
    std::vector<double> b(k_draws);
    std::vector<double> scratch(k_draws);
    std::generate(a.begin(), a.end(), [&] { return control(engine); });
    std::generate(b.begin(), b.end(), [&] { return variant(engine); });
    std::uint64_t wins = 0;
    double loss_a = 0.0;
    double loss_b = 0.0;
    for (std::size_t i = 0; i < k_draws; ++i) {
      wins += b[i] > a[i] ? 1U : 0U;
      loss_a += std::max(b[i] - a[i], 0.0) / a[i];
      loss_b += std::max(a[i] - b[i], 0.0) / a[i];
    }
    for (const std::vector<double>* arm : {&a, &b}) {
      scratch = *arm;
      benchmark::DoNotOptimize(quantile(scratch, 0.025));
      benchmark::DoNotOptimize(quantile(scratch, 0.975));
    }
    std::transform(b.begin(), b.end(), a.begin(), scratch.begin(),
                   [](double v, double c) { return v / c - 1.0; });
    for (const double p : {0.025, 0.5, 0.975}) {
      benchmark::DoNotOptimize(quantile(scratch, p));
    }
    benchmark::DoNotOptimize(wins);
    benchmark::DoNotOptimize(loss_a + loss_b);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(2 * k_draws));
}
BENCHMARK(BM_std_two_arm_cell);

// Argument: the thread cap.
void BM_compare_beta_arms(benchmark::State& state) {
  const reckon::stats::ThreadLimit limit(static_cast<std::size_t>(state.range(0)));
  const reckon::stats::SamplingPlan plan{k_draws, 1, 0.95};
  std::uint64_t stream = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(reckon::stats::compare_beta_arms(k_cell, 0, plan, ++stream));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(2 * k_draws));
}
BENCHMARK(BM_compare_beta_arms)->Arg(1)->Arg(2)->UseRealTime();

// The exact answers the engine uses instead where a cell is purely Beta-Binomial.
void BM_prob_greater_closed_form(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(reckon::stats::prob_greater_closed_form(k_cell[1], k_cell[0]));
  }
}
BENCHMARK(BM_prob_greater_closed_form);

void BM_prob_greater_quadrature(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(reckon::stats::prob_greater_quadrature(k_cell[1], k_cell[0]));
  }
}
BENCHMARK(BM_prob_greater_quadrature);

} // namespace
