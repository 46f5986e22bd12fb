#pragma once

// The demo account as the pipeline benchmark uses it: read, parsed and recomputed once, with
// the posteriors of every sampled comparison rebuilt by the analysis module's own code, and
// the draws of one comparison made exactly as compare_arms makes them.
#include "reckon/analysis/analyze.hpp"
#include "reckon/analysis/results.hpp"
#include "reckon/parse/saved_responses.hpp"
#include "reckon/stats/monte_carlo.hpp"

#include "stats/arm_sampler.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reckon::bench {

inline constexpr std::uint64_t k_draws = 100'000;

inline constexpr std::array<const char*, 5> k_shape_names{"beta", "lognormal", "normal",
                                                          "rate_x_lognormal", "rate_x_normal"};

// A cell the recompute sampled: its arms' posteriors, its stream and its metric's direction.
struct SampledCell {
  std::vector<stats::detail::ArmSampler> arms;
  std::size_t control = 0;
  std::uint64_t stream = 0;
  stats::Direction direction = stats::Direction::higher_is_better;
  // The recompute's p2bb of every arm: draws where the arm is best, over the draws.
  std::vector<double> prob_best;
};

// The demo account, read, parsed and recomputed once.
struct Account {
  std::vector<contract::ApiExchange> exchanges;
  model::Dataset dataset;
  analysis::AnalysisOptions options;
  analysis::Results results;
  std::size_t result_cells = 0;
  std::size_t sampled_results = 0;
  std::vector<SampledCell> sampled;
  std::uint64_t sampled_draws = 0;
};

// Reads, parses and recomputes data/demo into `account`; empty, or what went wrong.
std::string load_account(Account& account);

// compare_arms' draws of one cell into `samples` (one buffer per arm, k_draws long), with
// `scratch` as long: the same chunks and keys.
void draw_cell(const SampledCell& cell, std::uint64_t seed,
               std::span<const std::span<double>> samples, std::span<double> scratch);

// Whether draw_cell draws what the recompute drew: empty, or how it differs.
std::string check_sampling_pass(const Account& account);

} // namespace reckon::bench
