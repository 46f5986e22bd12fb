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
// building posteriors, assembling results). Allocating and first touching the draw buffers
// counts as sampling.
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
#include "reckon/analysis/metrics.hpp"
#include "reckon/analysis/results.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/parse/saved_responses.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/parallel.hpp"

#include "analysis/cell_analysis.hpp"
#include "rate_reporter.hpp"
#include "stats/arm_sampler.hpp"
#include "stats/batch_sampling.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace {

namespace analysis = reckon::analysis;
namespace model = reckon::model;
namespace stats = reckon::stats;
namespace detail = reckon::stats::detail;

constexpr std::uint64_t k_draws = 100'000;
using detail::k_chunk_draws;
using detail::k_rate_component;
using detail::k_value_component;
using detail::Shape;
using ArmDraw = detail::ArmSampler;
// About one cell in this many of each group runs in the baseline (about 2 s per iteration).
constexpr std::size_t k_baseline_stride = 25;

constexpr std::array<const char*, 5> k_shape_names{"beta", "lognormal", "normal",
                                                   "rate_x_lognormal", "rate_x_normal"};

using detail::is_signed;

// A cell the recompute sampled: its arms' posteriors, its stream and its metric's direction.
struct SampledCell {
  std::vector<ArmDraw> arms;
  std::size_t control = 0;
  std::uint64_t stream = 0;
  stats::Direction direction = stats::Direction::higher_is_better;
  // The recompute's p2bb of every arm: draws where the arm is best, over the draws.
  std::vector<double> prob_best;
};

// The demo account, read, parsed and recomputed once.
struct Account {
  std::vector<reckon::contract::ApiExchange> exchanges;
  model::Dataset dataset;
  analysis::AnalysisOptions options;
  analysis::Results results;
  std::size_t result_cells = 0;
  std::size_t sampled_results = 0;
  std::vector<SampledCell> sampled;
  std::uint64_t sampled_draws = 0;
};

Account g_account;

analysis::AnalysisOptions demo_options() {
  analysis::AnalysisOptions options;
  options.sampling = stats::SamplingPlan{k_draws, 0, 0.95};
  return options;
}

// The posteriors behind one group of results (the arms of one experiment x slice x metric),
// rebuilt by the analysis module's own code. Empty with a message if they do not match.
std::string rebuild_cell(const model::Experiment& experiment,
                         std::span<const analysis::CellResult> group,
                         const analysis::AnalysisOptions& options, SampledCell& out) {
  const analysis::CellResult& first = group.front();
  const auto find_slice = [&](const model::Slice& slice) {
    return std::find_if(experiment.cells.begin(), experiment.cells.end(),
                        [&](const model::CountsCell& cell) { return cell.slice == slice; });
  };
  const auto cell = find_slice(first.slice);
  const auto overall = find_slice(model::Slice::overall());
  const std::optional<analysis::MetricDefinition> metric = analysis::find_metric(first.metric);
  if (cell == experiment.cells.end() || !metric || cell->arms.size() != group.size()) {
    return "no dataset cell for " + experiment.id + " " + first.metric;
  }
  const model::CountsCell* parent =
      overall == experiment.cells.end() || overall == cell ? nullptr : &*overall;
  const analysis::detail::CellTask task{&experiment, &*cell, *metric, parent};
  out.control = task.control();
  out.stream = task.stream();
  out.direction = metric->direction;
  for (std::size_t i = 0; i < cell->arms.size(); ++i) {
    const model::ArmCounts* parent_arm = parent != nullptr ? &parent->arms[i] : nullptr;
    const analysis::detail::ArmPosteriorChoice choice =
        analysis::detail::bayesian_posterior(*metric, cell->arms[i], parent_arm, options.prior);
    if (!choice.posterior || choice.model != group[i].model) {
      return "posterior of " + experiment.id + " " + first.metric + " differs from the result's";
    }
    out.arms.push_back(detail::flatten(*choice.posterior));
    out.prob_best.push_back(*group[i].prob_best);
  }
  return {};
}

std::string load_account(Account& account) {
  auto exchanges = reckon::parse::read_saved_responses(RECKON_DATA_DIR "/demo");
  if (!exchanges) {
    return exchanges.error().describe();
  }
  account.exchanges = std::move(*exchanges);
  auto dataset = reckon::parse::parse_intelligems(account.exchanges);
  if (!dataset) {
    return dataset.error().describe();
  }
  account.dataset = std::move(*dataset);
  account.options = demo_options();
  account.results = analysis::analyze_counts(account.dataset, account.options);
  for (std::size_t e = 0; e < account.results.experiments.size(); ++e) {
    const std::vector<analysis::CellResult>& cells = account.results.experiments[e].cells;
    account.result_cells += cells.size();
    // analyze_counts appends each experiment x slice x metric's arms together.
    for (std::size_t begin = 0; begin < cells.size();) {
      std::size_t end = begin + 1;
      while (end < cells.size() && cells[end].slice == cells[begin].slice &&
             cells[end].metric == cells[begin].metric) {
        ++end;
      }
      if (cells[begin].prob_best) {
        SampledCell sampled;
        const std::string problem =
            rebuild_cell(account.dataset.experiments[e],
                         std::span(cells).subspan(begin, end - begin), account.options, sampled);
        if (!problem.empty()) {
          return problem;
        }
        account.sampled_results += end - begin;
        account.sampled_draws += k_draws * sampled.arms.size();
        account.sampled.push_back(std::move(sampled));
      }
      begin = end;
    }
  }
  return {};
}

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

// compare_arms' draws of one cell into `samples` (one vector per arm, k_draws long), with
// `scratch` as long: the same chunks and keys.
void draw_cell(const SampledCell& cell, std::uint64_t seed,
               std::vector<std::vector<double>>& samples, std::vector<double>& scratch) {
  const std::size_t arms = cell.arms.size();
  const auto chunks = static_cast<std::size_t>((k_draws + k_chunk_draws - 1) / k_chunk_draws);
  stats::parallel_for(chunks, [&](std::size_t chunk) {
    const std::uint64_t begin = chunk * k_chunk_draws;
    const auto offset = static_cast<std::size_t>(begin);
    const auto length = static_cast<std::size_t>(std::min(begin + k_chunk_draws, k_draws) - begin);
    for (std::size_t arm = 0; arm < arms; ++arm) {
      const detail::StreamKey key{seed, cell.stream, chunk, static_cast<std::uint32_t>(arm),
                                  k_rate_component};
      detail::fill_arm(cell.arms[arm], std::span(samples[arm]).subspan(offset, length),
                       std::span(scratch).subspan(offset, length), key);
    }
  });
}

// compare_arms' draws and nothing else: the same buffers, allocated per cell.
void sample_cell(const SampledCell& cell, std::uint64_t seed) {
  std::vector<std::vector<double>> samples(cell.arms.size(), std::vector<double>(k_draws));
  std::vector<double> scratch(k_draws);
  draw_cell(cell, seed, samples, scratch);
  for (const std::vector<double>& arm : samples) {
    benchmark::DoNotOptimize(arm.data());
  }
  benchmark::ClobberMemory();
}

// Whether the sampling pass draws what the recompute drew: on the first cell of every
// posterior shape, each arm's count of draws where it is best must give the recompute's p2bb
// exactly (ties, of measure zero, to the lowest arm, as in compare_arms).
std::string check_sampling_pass() {
  std::map<Shape, const SampledCell*> firsts;
  for (const SampledCell& cell : g_account.sampled) {
    firsts.try_emplace(cell.arms.front().shape, &cell);
  }
  for (const auto& [shape, cell] : firsts) {
    std::vector<std::vector<double>> samples(cell->arms.size(), std::vector<double>(k_draws));
    std::vector<double> scratch(k_draws);
    draw_cell(*cell, g_account.options.sampling.seed, samples, scratch);
    const bool higher = cell->direction == stats::Direction::higher_is_better;
    std::vector<std::uint64_t> wins(cell->arms.size(), 0);
    for (std::size_t i = 0; i < k_draws; ++i) {
      std::size_t best = 0;
      for (std::size_t arm = 1; arm < samples.size(); ++arm) {
        const double x = samples[arm][i];
        const double y = samples[best][i];
        best = (higher ? x > y : x < y) ? arm : best;
      }
      ++wins[best];
    }
    for (std::size_t arm = 0; arm < wins.size(); ++arm) {
      const double p2bb = static_cast<double>(wins[arm]) / static_cast<double>(k_draws);
      if (p2bb != cell->prob_best[arm]) {
        return std::string("the sampling pass does not draw what the recompute drew (") +
               k_shape_names[static_cast<std::size_t>(shape)] + " posterior: p2bb " +
               std::to_string(p2bb) + " against " + std::to_string(cell->prob_best[arm]) + ")";
      }
    }
  }
  return {};
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

std::vector<BaselineGroup> baseline_groups() {
  std::map<std::pair<Shape, std::size_t>, BaselineGroup> groups;
  for (std::size_t i = 0; i < g_account.sampled.size(); ++i) {
    const SampledCell& cell = g_account.sampled[i];
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

void baseline_script(benchmark::State& state) {
  const std::vector<BaselineGroup> groups = baseline_groups();
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
        std_script_cell(g_account.sampled[i], engine, out);
        benchmark::DoNotOptimize(out.numbers.data());
      }
      const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start;
      account_seconds += spent.count() * static_cast<double>(group.cells.size()) /
                         static_cast<double>(group.subset.size());
    }
    state.SetIterationTime(account_seconds);
  }
  set_cell_rate(state);
  state.counters["subset_cells"] = static_cast<double>(subset_cells);
}

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
  benchmark::RegisterBenchmark("baseline/std_script", baseline_script)
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
  std::string problem = load_account(g_account);
  if (problem.empty()) {
    problem = check_sampling_pass();
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "reckon_pipeline_bench: %s\n", problem.c_str());
    return 1;
  }
  register_benchmarks();
  reckon::bench::RateReporter reporter(reckon::bench::RateReporter::Key::registered_name);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  benchmark::Shutdown();
  return 0;
}
