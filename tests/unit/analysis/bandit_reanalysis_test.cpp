// The demo's bandit, recounted from the simulator's raw events and re-analysed: its users match
// the ASSIGNMENT events the simulator wrote, and P(best) of the conversion rate lies within Monte
// Carlo error of the exact Beta quadrature on the same counts.

#include "reckon/analysis/analyze.hpp"
#include "reckon/parse/bandit.hpp"
#include "reckon/parse/saved_responses.hpp"
#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace reckon::analysis {
namespace {

constexpr double k_mc_sigmas = 4.0;

parse::BanditData demo_bandit() {
  auto exchanges = parse::read_saved_responses(test::data_dir() / "demo");
  EXPECT_TRUE(exchanges) << exchanges.error().describe();
  if (!exchanges) {
    return {};
  }
  auto bandit = parse::parse_bandit(*exchanges);
  EXPECT_TRUE(bandit) << bandit.error().describe();
  return bandit ? std::move(*bandit) : parse::BanditData{};
}

// Each treatment's distinct assigned users, read straight from the event files.
std::map<std::string, std::set<std::string>> assigned_users(const std::string& experiment_id) {
  std::map<std::string, std::set<std::string>> users;
  simdjson::dom::parser parser;
  for (const auto& file :
       std::filesystem::directory_iterator(test::data_dir() / "demo" / "bandit" / "events")) {
    if (!file.path().filename().string().starts_with(experiment_id + ".")) {
      continue;
    }
    simdjson::dom::element root;
    EXPECT_EQ(parser.load(file.path().string()).get(root), simdjson::SUCCESS);
    for (const simdjson::dom::element event : root["data"].get_array()) {
      std::string_view type, treatment, user;
      const bool read = event["eventType"].get_string().get(type) == simdjson::SUCCESS &&
                        event["treatmentId"].get_string().get(treatment) == simdjson::SUCCESS &&
                        event["userId"].get_string().get(user) == simdjson::SUCCESS;
      EXPECT_TRUE(read) << file.path();
      if (read && type == "ASSIGNMENT") {
        users[std::string(treatment)].insert(std::string(user));
      }
    }
  }
  return users;
}

TEST(BanditReanalysis, DemoCountsAreTheSimulatedUsers) {
  const parse::BanditData bandit = demo_bandit();
  ASSERT_EQ(bandit.dataset.experiments.size(), 1u);
  const model::Experiment& experiment = bandit.dataset.experiments[0];
  const auto users = assigned_users(experiment.id);
  const model::CountsCell& overall = experiment.cells.at(0);
  ASSERT_TRUE(overall.slice.is_overall());
  for (const model::ArmCounts& arm : overall.arms) {
    EXPECT_EQ(arm.visitors, users.at(arm.variation_id).size()) << arm.variation_id;
    EXPECT_GT(arm.conversions, 0u);
  }
  const parse::BanditEventTally& tally = bandit.tallies.at(0);
  EXPECT_TRUE(tally.complete);
  EXPECT_EQ(tally.duplicates + tally.without_assignment + tally.foreign, 0u);
  // Days: every user falls on exactly one day.
  std::uint64_t day_users = 0;
  for (const model::CountsCell& cell : experiment.cells) {
    for (const model::ArmCounts& arm : cell.arms) {
      day_users += cell.slice.segment_type == "day" ? arm.visitors : 0;
    }
  }
  std::uint64_t all_users = 0;
  for (const model::ArmCounts& arm : overall.arms) {
    all_users += arm.visitors;
  }
  EXPECT_EQ(day_users, all_users);
}

TEST(BanditReanalysis, ProbBestIsWithinMonteCarloErrorOfTheExactQuadrature) {
  const parse::BanditData bandit = demo_bandit();
  ASSERT_EQ(bandit.dataset.experiments.size(), 1u);
  AnalysisOptions options;
  options.sampling.seed = 7;
  options.exact = false; // drawn, as --monte-carlo does: the exact route is the quadrature itself
  const Results results = analyze_counts(bandit.dataset, options);
  const ExperimentResult& experiment = results.experiments.at(0);
  EXPECT_FALSE(experiment.srm); // the allocation adapts
  EXPECT_FALSE(experiment.notes.empty());
  const model::CountsCell& overall = bandit.dataset.experiments[0].cells.at(0);
  std::vector<stats::BetaParams> posteriors;
  for (const model::ArmCounts& arm : overall.arms) {
    posteriors.push_back(stats::beta_posterior(options.prior, arm.conversions, arm.visitors));
  }
  const std::vector<double> exact = stats::prob_best(posteriors);
  std::size_t checked = 0;
  for (const CellResult& cell : experiment.cells) {
    if (!cell.slice.is_overall() || cell.metric != "conversion_rate") {
      continue;
    }
    std::size_t arm = 0;
    while (overall.arms[arm].variation_id != cell.variation_id) {
      ++arm;
    }
    ASSERT_TRUE(cell.prob_best && cell.prob_best_se) << cell.variation_id;
    EXPECT_LE(std::abs(*cell.prob_best - exact[arm]), k_mc_sigmas * *cell.prob_best_se + 1e-9)
        << cell.variation_id << ": " << *cell.prob_best << " vs exact " << exact[arm];
    EXPECT_FALSE(cell.reported);
    ++checked;
  }
  EXPECT_EQ(checked, overall.arms.size());
}

} // namespace
} // namespace reckon::analysis
