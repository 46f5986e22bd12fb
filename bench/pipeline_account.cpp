#include "pipeline_account.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/stats/parallel.hpp"

#include "analysis/cell_analysis.hpp"
#include "stats/batch_sampling.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace reckon::bench {
namespace {

namespace detail = stats::detail;

using detail::k_chunk_draws;
using detail::k_rate_component;
using detail::Shape;

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

} // namespace

std::string load_account(Account& account) {
  auto exchanges = parse::read_saved_responses(RECKON_DATA_DIR "/demo");
  if (!exchanges) {
    return exchanges.error().describe();
  }
  account.exchanges = std::move(*exchanges);
  auto dataset = parse::parse_intelligems(account.exchanges);
  if (!dataset) {
    return dataset.error().describe();
  }
  account.dataset = std::move(*dataset);
  account.options.sampling = stats::SamplingPlan{k_draws, 0, 0.95};
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

void draw_cell(const SampledCell& cell, std::uint64_t seed,
               std::span<const std::span<double>> samples, std::span<double> scratch) {
  const std::size_t arms = cell.arms.size();
  const auto chunks = static_cast<std::size_t>((k_draws + k_chunk_draws - 1) / k_chunk_draws);
  stats::parallel_for(chunks, [&](std::size_t chunk) {
    const std::uint64_t begin = chunk * k_chunk_draws;
    const auto offset = static_cast<std::size_t>(begin);
    const auto length = static_cast<std::size_t>(std::min(begin + k_chunk_draws, k_draws) - begin);
    for (std::size_t arm = 0; arm < arms; ++arm) {
      const detail::StreamKey key{seed, cell.stream, chunk, static_cast<std::uint32_t>(arm),
                                  k_rate_component};
      detail::fill_arm(cell.arms[arm], samples[arm].subspan(offset, length),
                       scratch.subspan(offset, length), key);
    }
  });
}

// Whether the sampling pass draws what the recompute drew: on the first cell of every
// posterior shape, each arm's count of draws where it is best must give the recompute's p2bb
// exactly (ties, of measure zero, to the lowest arm, as in compare_arms).
std::string check_sampling_pass(const Account& account) {
  std::map<Shape, const SampledCell*> firsts;
  for (const SampledCell& cell : account.sampled) {
    firsts.try_emplace(cell.arms.front().shape, &cell);
  }
  for (const auto& [shape, cell] : firsts) {
    std::vector<std::vector<double>> draws(cell->arms.size(), std::vector<double>(k_draws));
    std::vector<double> scratch(k_draws);
    const std::vector<std::span<double>> samples(draws.begin(), draws.end());
    draw_cell(*cell, account.options.sampling.seed, samples, scratch);
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

} // namespace reckon::bench
