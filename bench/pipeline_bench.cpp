// The pipeline of `reckon check` on the demo account (data/demo, the saved Intelligems
// responses) at 100,000 draws per cell: parse -> recompute -> compare, each stage alone and
// all together, beside a scripted std:: recomputation of the same cells measured in the same
// run (SPEC §5: speed is stated as ratios, since this machine's speed drifts). Issue 6.
//
// Every rate is the account's result cells (experiment x slice x metric x variation, what
// analyze_counts returns) over the benchmark's wall time, so the stages' rates compare
// directly. What each benchmark times:
//   pipeline/parse              parse_intelligems over the saved responses; the files are read
//                               once, before any timing.
//   pipeline/recompute/1_thread analyze_counts over the parsed dataset, under ThreadLimit(1);
//            .../2_threads      and ThreadLimit(2).
//   pipeline/sampling/...       the draws alone (below), on 1 and 2 threads.
//   pipeline/compare            check_results on the recomputed results. It writes each cell's
//                               drift, so each iteration gets a fresh copy of the results, made
//                               (and freed) with the timer paused: the copy is not timed.
//   pipeline/whole/...          parse + recompute + compare, one after the other.
//   baseline/std_script         an analyst's script of the same recomputation, one thread, std::
//                               in place of numpy (perf-anchors §2f: std::mt19937_64 with
//                               std::gamma_distribution is about numpy's Generator.beta speed).
//                               Per cell, fresh arrays; per arm 100,000 draws (Beta = Ga / (Ga +
//                               Gb); a log-normal or Normal per-order value from
//                               std::normal_distribution, then exp; their product for
//                               per-visitor values); then the best arm per draw, p2bb, p2bc, the
//                               expected loss and its SE, and by successive std::nth_element
//                               (numpy's partition with several kth) the interval, the uplift's
//                               interval and median, and the order statistics one binomial SD
//                               either side behind each MC standard error: the engine's outputs
//                               from the same draw counts. Its loops are fused, without numpy's
//                               temporaries, which flatters it; std::normal_distribution and
//                               scalar exp are slower than numpy's ziggurat and vectorised exp,
//                               which flatters the engine on value metrics.
//
// Sampling and reduction. The sampling pass draws, for every cell whose result carries
// statistics, exactly what compare_arms draws: the posteriors from the analysis module's own
// bayesian_posterior, the same per-cell buffers, chunks and stream keys, filled with the
// engine's kernels the way monte_carlo.cpp's fill_arm does (fill_beta; fill_standard_normal
// then exp or affine; the rate-times-value product), scheduled like analyze_counts (cells,
// then chunks, in parallel). Before any benchmark runs, it is checked to reproduce the
// recompute's p2bb exactly on one cell of every posterior shape. Reduction is then recompute
// minus sampling on the same thread count: the tallies (best arm, beat control, loss), the
// quantile selections, and all analyze_counts does around compare_arms (choosing metrics,
// building posteriors, assembling results). Borrowing the draw buffers (from the pool
// compare_arms borrows from) counts as sampling.
//
// Files: pipeline_account.* loads the account and draws a cell; pipeline_script.* is the
// scripted baseline; this file times the stages and prints the summary.
//
// The script is too slow to run over the whole account (about a minute), so it
// runs a subset and is extrapolated: cells are grouped by posterior shape and arm count, about
// one in k_baseline_stride of each group (at least one, spread evenly over the group) is
// timed, and each group's time per cell is scaled to the group's size. The benchmark reports
// that extrapolated account time as its (manual) iteration time, so its rate reads as result
// cells per second of the whole account, like the pipeline's.
//
// Slow stages run one iteration per repetition. Unless the command line says otherwise,
// every benchmark runs three repetitions in random interleaved order (so that drift hits the
// pipeline and the script alike) and the table shows medians; a run takes about 80 seconds
// on two virtual cores. After it, a summary prints the share of the pipeline's time in
// parsing, sampling, reduction and comparison, and the ratios against the script.
//   cmake --build --preset release --target reckon_pipeline_bench
//   build/release/bench/reckon_pipeline_bench [--benchmark_filter=...]
#include "reckon/analysis/analyze.hpp"
#include "reckon/analysis/check.hpp"
#include "reckon/analysis/results.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/stats/parallel.hpp"

#include "cpu_context.hpp"
#include "pipeline_account.hpp"
#include "pipeline_script.hpp"
#include "rate_reporter.hpp"
#include "stats/draw_workspace.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace {

namespace analysis = reckon::analysis;
namespace stats = reckon::stats;
using reckon::bench::Account;
using reckon::bench::k_draws;
using reckon::bench::SampledCell;

Account g_account;

void set_cell_rate(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(g_account.result_cells));
}

void parse_stage(benchmark::State& state) {
  for (auto _ : state) {
    auto dataset = reckon::parse::parse_intelligems(g_account.exchanges);
    benchmark::DoNotOptimize(dataset);
  }
  set_cell_rate(state);
}

void recompute_stage(benchmark::State& state, std::size_t threads) {
  const stats::ThreadLimit limit(threads);
  for (auto _ : state) {
    analysis::Results results = analysis::analyze_counts(g_account.dataset, g_account.options);
    benchmark::DoNotOptimize(results);
  }
  set_cell_rate(state);
  state.counters["draws_per_second"] = benchmark::Counter(
      static_cast<double>(g_account.sampled_draws), benchmark::Counter::kIsIterationInvariantRate);
}

void compare_stage(benchmark::State& state) {
  const analysis::CheckSettings settings;
  for (auto _ : state) {
    state.PauseTiming();
    analysis::Results results = g_account.results;
    state.ResumeTiming();
    analysis::CheckReport report = analysis::check_results(results, g_account.dataset, settings);
    benchmark::DoNotOptimize(report);
    state.PauseTiming();
    results = {}; // freed untimed too
    state.ResumeTiming();
  }
  set_cell_rate(state);
}

void whole_pipeline(benchmark::State& state, std::size_t threads) {
  const stats::ThreadLimit limit(threads);
  const analysis::CheckSettings settings;
  for (auto _ : state) {
    auto dataset = reckon::parse::parse_intelligems(g_account.exchanges);
    if (!dataset) {
      state.SkipWithError("the demo account no longer parses");
      break;
    }
    analysis::Results results = analysis::analyze_counts(*dataset, g_account.options);
    analysis::CheckReport report = analysis::check_results(results, *dataset, settings);
    benchmark::DoNotOptimize(report);
  }
  set_cell_rate(state);
}

// compare_arms' draws and nothing else, into buffers borrowed as compare_arms borrows them.
void sample_cell(const SampledCell& cell, std::uint64_t seed) {
  const stats::detail::DrawWorkspace workspace(cell.arms.size() + 1, k_draws);
  std::vector<std::span<double>> samples(cell.arms.size());
  for (std::size_t arm = 0; arm < samples.size(); ++arm) {
    samples[arm] = workspace.buffer(arm);
  }
  reckon::bench::draw_cell(cell, seed, samples, workspace.buffer(cell.arms.size()));
  for (const std::span<double> arm : samples) {
    benchmark::DoNotOptimize(arm.data());
  }
  benchmark::ClobberMemory();
}

void sampling_stage(benchmark::State& state, std::size_t threads) {
  const stats::ThreadLimit limit(threads);
  const std::uint64_t seed = g_account.options.sampling.seed;
  for (auto _ : state) {
    stats::parallel_for(g_account.sampled.size(),
                        [&](std::size_t i) { sample_cell(g_account.sampled[i], seed); });
  }
  set_cell_rate(state);
  state.counters["draws_per_second"] = benchmark::Counter(
      static_cast<double>(g_account.sampled_draws), benchmark::Counter::kIsIterationInvariantRate);
}

// --- The scripted baseline -------------------------------------------------------------------

void register_benchmarks() {
  // One iteration per repetition for the slow stages (seconds each); the fast ones run for
  // half a second.
  benchmark::RegisterBenchmark("pipeline/parse", parse_stage)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(0.5);
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
    const std::string suffix = threads == 1 ? "/1_thread" : "/2_threads";
    benchmark::RegisterBenchmark(("pipeline/recompute" + suffix).c_str(), recompute_stage, threads)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
    benchmark::RegisterBenchmark(("pipeline/sampling" + suffix).c_str(), sampling_stage, threads)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
    benchmark::RegisterBenchmark(("pipeline/whole" + suffix).c_str(), whole_pipeline, threads)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
  }
  benchmark::RegisterBenchmark("pipeline/compare", compare_stage)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(0.5);
  benchmark::RegisterBenchmark("baseline/std_script", reckon::bench::baseline_script,
                               std::cref(g_account))
      ->Unit(benchmark::kMillisecond)
      ->UseManualTime()
      ->Iterations(1);
}

struct Ratio {
  const char* label;
  const char* numerator;
};

// Issue 6 sets no number, only "by a wide margin"; the script does no parsing and no
// comparing, so the whole pipeline's ratio is the conservative one.
constexpr std::array<Ratio, 4> k_ratios{{
    {"whole pipeline, 1 thread", "pipeline/whole/1_thread"},
    {"whole pipeline, 2 threads", "pipeline/whole/2_threads"},
    {"recompute only, 1 thread", "pipeline/recompute/1_thread"},
    {"recompute only, 2 threads", "pipeline/recompute/2_threads"},
}};

void print_summary(const reckon::bench::RateReporter& rates) {
  const double cells = static_cast<double>(g_account.result_cells);
  // Seconds per account of a benchmark, from its median rate; 0 if it did not run.
  const auto seconds = [&](const std::string& name) {
    const double rate = rates.median_rate(name);
    return rate > 0.0 ? cells / rate : 0.0;
  };
  std::printf("\nDemo account: %zu result cells (experiment x slice x metric x variation), "
              "%zu of them from %zu sampled comparisons, %llu draws per arm, %.1f M draws "
              "in all.\n",
              g_account.result_cells, g_account.sampled_results, g_account.sampled.size(),
              static_cast<unsigned long long>(k_draws),
              static_cast<double>(g_account.sampled_draws) / 1e6);
  const double parse = seconds("pipeline/parse");
  const double compare = seconds("pipeline/compare");
  for (const int threads : {1, 2}) {
    const std::string suffix = threads == 1 ? "/1_thread" : "/2_threads";
    const double recompute = seconds("pipeline/recompute" + suffix);
    const double sampling = seconds("pipeline/sampling" + suffix);
    const double whole = seconds("pipeline/whole" + suffix);
    if (parse <= 0.0 || compare <= 0.0 || recompute <= 0.0 || sampling <= 0.0) {
      continue;
    }
    const double total = parse + recompute + compare;
    const auto share = [&](double part) { return 100.0 * part / total; };
    std::printf("\nTime shares, %d thread%s (stage medians; sum of stages %.3f s, whole "
                "pipeline measured %.3f s):\n",
                threads, threads == 1 ? "" : "s", total, whole);
    std::printf("  parsing                 %7.3f s  %5.1f%%\n", parse, share(parse));
    std::printf("  sampling                %7.3f s  %5.1f%%\n", sampling, share(sampling));
    std::printf("  reduction               %7.3f s  %5.1f%%   (recompute - sampling)\n",
                recompute - sampling, share(recompute - sampling));
    std::printf("  comparison              %7.3f s  %5.1f%%\n", compare, share(compare));
  }
  const double script = rates.median_rate("baseline/std_script");
  if (script <= 0.0) {
    return;
  }
  std::printf("\nRatios against the scripted std:: recomputation of the same cells (result "
              "cells per second; the script, single-threaded, takes %.1f s for the account, "
              "extrapolated from a subset):\n",
              cells / script);
  for (const Ratio& ratio : k_ratios) {
    const double top = rates.median_rate(ratio.numerator);
    if (top > 0.0) {
      std::printf("  %-28s %7.2fx\n", ratio.label, top / script);
    }
  }
}

} // namespace

int main(int argc, char** argv) {
  // Defaults, ahead of the caller's flags so that those override them: three repetitions of
  // everything in random interleaved order, so that the machine's drift hits the pipeline and
  // the script alike, and medians in the table and the summary.
  std::vector<char*> args{argv[0]};
  std::array<std::string, 3> defaults{"--benchmark_repetitions=3",
                                      "--benchmark_enable_random_interleaving=true",
                                      "--benchmark_display_aggregates_only=true"};
  for (std::string& flag : defaults) {
    args.push_back(flag.data());
  }
  args.insert(args.end(), argv + 1, argv + argc);
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) {
    return 1;
  }
  std::string problem = reckon::bench::load_account(g_account);
  if (problem.empty()) {
    problem = reckon::bench::check_sampling_pass(g_account);
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "reckon_pipeline_bench: %s\n", problem.c_str());
    return 1;
  }
  register_benchmarks();
  reckon::bench::add_cpu_context();
  reckon::bench::RateReporter reporter(reckon::bench::RateReporter::Key::registered_name);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  benchmark::Shutdown();
  return 0;
}
