// Beta sampling and the two-arm cell, each beside a std:: baseline doing the same work in the
// same run, so that results read as ratios (SPEC §5: this machine's speed drifts by a quarter
// within minutes, so absolute times mean little). Rates are Beta draws per second. After the
// run, a summary prints each ratio against its target from issue 3; bench/check_ratios.cmake
// gates the single-thread ones against the figures bench/baseline.json records for the CPU
// that the run's context names.
#include "reckon/stats/exact.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/parallel.hpp"

#include "cpu_context.hpp"
#include "rate_reporter.hpp"
#include "stats/batch_sampling.hpp"
#include "stats/sample_quantile.hpp"
#include "stats/simd_paths.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace {

using reckon::stats::BetaParams;
namespace detail = reckon::stats::detail;

// Draws per fill: the engine's chunk size, so a fill pays its seeding as the engine does.
constexpr std::size_t k_chunk_draws = 8192;
// Draws per iteration of the single-thread draw benchmarks (fits in L2), and of the threaded
// ones (enough chunks for two threads to share evenly).
constexpr std::size_t k_draws = 64 * 1024;
constexpr std::size_t k_threaded_draws = 256 * 1024;
// Draws per arm of the two-arm cell.
constexpr std::size_t k_cell_draws = 100'000;

// stats-anchors C3 (200/10000 vs 240/10000 under Beta(1, 1)) and a smaller, wider shape.
constexpr BetaParams k_narrow{201, 9801};
constexpr BetaParams k_wide{20, 1000};
constexpr std::array<BetaParams, 2> k_cell{BetaParams{201, 9801}, BetaParams{241, 9761}};

// The baseline sampler: Mersenne Twister and two std::gamma_distribution draws per Beta.
class StdBeta {
public:
  explicit StdBeta(BetaParams params) : m_alpha(params.alpha), m_beta(params.beta) {}

  double operator()(std::mt19937_64& engine) {
    const double ga = m_alpha(engine);
    return ga / (ga + m_beta(engine));
  }

private:
  std::gamma_distribution<double> m_alpha;
  std::gamma_distribution<double> m_beta;
};

void set_draw_rate(benchmark::State& state, std::size_t draws_per_iteration) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(draws_per_iteration));
}

void std_beta_draws(benchmark::State& state, BetaParams params) {
  std::mt19937_64 engine(1);
  StdBeta beta(params);
  std::vector<double> out(k_draws);
  for (auto _ : state) {
    std::generate(out.begin(), out.end(), [&] { return beta(engine); });
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_draw_rate(state, k_draws);
}

// Fills `out` chunk by chunk, each chunk with its own key, as the engine does.
void fill_chunks(detail::SamplingPath path, std::span<double> out, BetaParams params,
                 std::uint64_t first_chunk) {
  for (std::size_t begin = 0; begin < out.size(); begin += k_chunk_draws) {
    const detail::StreamKey key{7, 11, first_chunk + begin / k_chunk_draws, 0, 0};
    detail::fill_beta_on(path, out.subspan(begin, std::min(k_chunk_draws, out.size() - begin)),
                         params, key);
  }
}

void lane_beta_draws(benchmark::State& state, BetaParams params, detail::SamplingPath path) {
  std::vector<double> out(k_draws);
  std::uint64_t chunk = 0;
  for (auto _ : state) {
    fill_chunks(path, out, params, chunk);
    chunk += k_draws / k_chunk_draws;
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_draw_rate(state, k_draws);
}

// Chunks shared out by oneTBB (through the engine's parallel_for) under a thread cap.
void lane_beta_draws_threaded(benchmark::State& state, BetaParams params, std::size_t threads) {
  const reckon::stats::ThreadLimit limit(threads);
  std::vector<double> out(k_threaded_draws);
  const std::size_t chunks = k_threaded_draws / k_chunk_draws;
  std::uint64_t first_chunk = 0;
  for (auto _ : state) {
    reckon::stats::parallel_for(chunks, [&](std::size_t chunk) {
      const detail::StreamKey key{7, 11, first_chunk + chunk, 0, 0};
      detail::fill_beta(std::span(out).subspan(chunk * k_chunk_draws, k_chunk_draws), params, key);
    });
    first_chunk += chunks;
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_draw_rate(state, k_threaded_draws);
}

// The type-7 quantile as a std:: user writes it: nth_element over the whole sample, then the
// next order statistic as the minimum of what lies above.
double std_quantile(std::vector<double>& values, double p) {
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto k = static_cast<std::ptrdiff_t>(h);
  std::nth_element(values.begin(), values.begin() + k, values.end());
  const double low = values[static_cast<std::size_t>(k)];
  const double next = *std::min_element(values.begin() + k + 1, values.end());
  return low + (h - static_cast<double>(k)) * (next - low);
}

// The work of compare_arms on a two-arm cell, done with the baseline sampler: draws, best and
// beat-control counts, relative losses, both arms' 95% intervals and the uplift's interval and
// median. Its buffers serve every cell, as compare_arms' pooled ones do. Allocated per cell,
// they cost page faults (measured here, run alone: 18 ms per cell against 13 ms) or not,
// depending on what the allocator did before, which no ratio should depend on.
void std_two_arm_cell(benchmark::State& state) {
  std::mt19937_64 engine(1);
  StdBeta control(k_cell[0]);
  StdBeta variant(k_cell[1]);
  std::vector<double> a(k_cell_draws);
  std::vector<double> b(k_cell_draws);
  std::vector<double> scratch(k_cell_draws);
  for (auto _ : state) {
    std::generate(a.begin(), a.end(), [&] { return control(engine); });
    std::generate(b.begin(), b.end(), [&] { return variant(engine); });
    std::uint64_t wins = 0;
    double loss_a = 0.0;
    double loss_b = 0.0;
    for (std::size_t i = 0; i < k_cell_draws; ++i) {
      wins += b[i] > a[i] ? 1U : 0U;
      loss_a += std::max(b[i] - a[i], 0.0) / a[i];
      loss_b += std::max(a[i] - b[i], 0.0) / a[i];
    }
    for (const std::vector<double>* arm : {&a, &b}) {
      scratch = *arm;
      benchmark::DoNotOptimize(std_quantile(scratch, 0.025));
      benchmark::DoNotOptimize(std_quantile(scratch, 0.975));
    }
    std::transform(b.begin(), b.end(), a.begin(), scratch.begin(),
                   [](double v, double c) { return v / c - 1.0; });
    for (const double p : {0.025, 0.5, 0.975}) {
      benchmark::DoNotOptimize(std_quantile(scratch, p));
    }
    benchmark::DoNotOptimize(wins);
    benchmark::DoNotOptimize(loss_a + loss_b);
  }
  set_draw_rate(state, 2 * k_cell_draws);
}

// The engine's two-arm cell through its public interface, on one thread.
void engine_two_arm_cell(benchmark::State& state) {
  const reckon::stats::ThreadLimit limit(1);
  const reckon::stats::SamplingPlan plan{k_cell_draws, 1, 0.95};
  const std::array<reckon::stats::ArmPosterior, 2> arms{k_cell[0], k_cell[1]};
  std::uint64_t stream = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(reckon::stats::compare_arms(arms, 0, plan, ++stream));
  }
  set_draw_rate(state, 2 * k_cell_draws);
}

// The same work built directly on this module's kernels (fill_beta, select_quantiles), one
// thread, buffers kept across cells: what the cell costs when nothing but the kernels is spent.
void kernel_two_arm_cell(benchmark::State& state) {
  std::uint64_t stream = 0;
  const std::array<double, 2> interval_probs{0.025, 0.975};
  const std::array<double, 3> uplift_probs{0.025, 0.5, 0.975};
  std::array<double, 3> found{};
  std::vector<double> a(k_cell_draws);
  std::vector<double> b(k_cell_draws);
  std::vector<double> scratch(k_cell_draws);
  for (auto _ : state) {
    ++stream;
    for (std::size_t begin = 0; begin < k_cell_draws; begin += k_chunk_draws) {
      const std::size_t size = std::min(k_chunk_draws, k_cell_draws - begin);
      const std::uint64_t chunk = begin / k_chunk_draws;
      detail::fill_beta(std::span(a).subspan(begin, size), k_cell[0], {1, stream, chunk, 0, 0});
      detail::fill_beta(std::span(b).subspan(begin, size), k_cell[1], {1, stream, chunk, 1, 0});
    }
    std::uint64_t wins = 0;
    double loss_a = 0.0;
    double loss_b = 0.0;
    for (std::size_t i = 0; i < k_cell_draws; ++i) {
      wins += b[i] > a[i] ? 1U : 0U;
      const double inv_control = 1.0 / a[i];
      loss_a += std::max(b[i] - a[i], 0.0) * inv_control;
      loss_b += std::max(a[i] - b[i], 0.0) * inv_control;
    }
    for (const std::vector<double>* arm : {&a, &b}) {
      std::copy(arm->begin(), arm->end(), scratch.begin());
      detail::select_quantiles(scratch, interval_probs, std::span(found).first(2));
      benchmark::DoNotOptimize(found);
    }
    std::transform(b.begin(), b.end(), a.begin(), scratch.begin(),
                   [](double v, double c) { return v / c - 1.0; });
    detail::select_quantiles(scratch, uplift_probs, found);
    benchmark::DoNotOptimize(found);
    benchmark::DoNotOptimize(wins);
    benchmark::DoNotOptimize(loss_a + loss_b);
  }
  set_draw_rate(state, 2 * k_cell_draws);
}

// The exact answer the engine uses where a two-arm cell is purely Beta-Binomial. Its rate is
// calls per second.
void exact_two_arm(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(reckon::stats::prob_greater(k_cell[1], k_cell[0]));
  }
  state.SetItemsProcessed(state.iterations());
}

// Select quantiles alone, as the cell calls it (three probabilities over 100,000 draws).
void quantiles_only(benchmark::State& state, bool use_std) {
  std::mt19937_64 engine(3);
  std::normal_distribution<double> normal;
  std::vector<double> values(k_cell_draws);
  std::generate(values.begin(), values.end(), [&] { return normal(engine); });
  std::vector<double> scratch(k_cell_draws);
  const std::array<double, 3> probs{0.025, 0.5, 0.975};
  std::array<double, 3> found{};
  for (auto _ : state) {
    scratch = values;
    if (use_std) {
      for (std::size_t i = 0; i < probs.size(); ++i) {
        found[i] = std_quantile(scratch, probs[i]);
      }
    } else {
      detail::select_quantiles(scratch, probs, found);
    }
    benchmark::DoNotOptimize(found);
  }
  set_draw_rate(state, k_cell_draws);
}

void register_benchmarks() {
  using detail::SamplingPath;
  for (const auto& [suffix, params] :
       {std::pair{"201_9801", k_narrow}, std::pair{"20_1000", k_wide}}) {
    const std::string shape = suffix;
    benchmark::RegisterBenchmark(("beta/std/" + shape).c_str(), std_beta_draws, params);
    benchmark::RegisterBenchmark(("beta/fill/" + shape).c_str(), lane_beta_draws, params,
                                 SamplingPath::simd);
    benchmark::RegisterBenchmark(("beta/fill_scalar_path/" + shape).c_str(), lane_beta_draws,
                                 params, SamplingPath::scalar);
    benchmark::RegisterBenchmark(("beta/fill_threads_1/" + shape).c_str(), lane_beta_draws_threaded,
                                 params, std::size_t{1})
        ->UseRealTime();
    benchmark::RegisterBenchmark(("beta/fill_threads_2/" + shape).c_str(), lane_beta_draws_threaded,
                                 params, std::size_t{2})
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("cell/std", std_two_arm_cell)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("cell/engine", engine_two_arm_cell)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("cell/kernels", kernel_two_arm_cell)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("quantiles/std", quantiles_only, true)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("quantiles/select", quantiles_only, false)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("exact/prob_greater", exact_two_arm)->Unit(benchmark::kMicrosecond);
}

struct Ratio {
  const char* label;
  const char* numerator;
  const char* denominator;
  double target;
  bool gated;
};

constexpr std::array<Ratio, 9> k_ratios{{
    {"Beta(201,9801), 1 thread", "beta/fill/201_9801", "beta/std/201_9801", 8.0, true},
    {"Beta(20,1000), 1 thread", "beta/fill/20_1000", "beta/std/20_1000", 8.0, true},
    {"Beta(201,9801), 2 threads", "beta/fill_threads_2/201_9801/real_time", "beta/std/201_9801",
     15.0, false},
    {"Beta(20,1000), 2 threads", "beta/fill_threads_2/20_1000/real_time", "beta/std/20_1000", 15.0,
     false},
    {"two-thread speed-up (201,9801)", "beta/fill_threads_2/201_9801/real_time",
     "beta/fill_threads_1/201_9801/real_time", 1.0, false},
    {"scalar path, Beta(201,9801)", "beta/fill_scalar_path/201_9801", "beta/std/201_9801", 1.0,
     false},
    {"two-arm cell, engine, 1 thread", "cell/engine", "cell/std", 10.0, true},
    {"two-arm cell, kernels, 1 thread", "cell/kernels", "cell/std", 10.0, false},
    {"select_quantiles vs nth_element", "quantiles/select", "quantiles/std", 1.0, false},
}};

void print_summary(const reckon::bench::RateReporter& rates) {
  std::printf("\nRatios (medians over repetitions; targets from issue 3; bench/baseline.json "
              "gates the single-thread ones):\n");
  for (const Ratio& ratio : k_ratios) {
    const double top = rates.median_rate(ratio.numerator);
    const double bottom = rates.median_rate(ratio.denominator);
    if (top > 0.0 && bottom > 0.0) {
      std::printf("  %-34s %7.2fx   target >= %4.1fx%s\n", ratio.label, top / bottom, ratio.target,
                  ratio.gated ? "   (gated)" : "");
    }
  }
  const double exact_rate = rates.median_rate("exact/prob_greater");
  if (exact_rate > 0.0) {
    std::printf("  %-34s %7.2f us  target <= 20 us\n", "exact two-arm answer", 1e6 / exact_rate);
  }
}

} // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  register_benchmarks();
  reckon::bench::add_cpu_context();
  reckon::bench::RateReporter reporter(reckon::bench::RateReporter::Key::run_name);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  benchmark::Shutdown();
  return 0;
}
