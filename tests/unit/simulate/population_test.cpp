#include "reckon/simulate/population.hpp"
#include "reckon/simulate/truth.hpp"

#include "reckon/parse/scenario.hpp"
#include "reckon/stats/parallel.hpp"

#include "fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace reckon::simulate {
namespace {

// One experiment with a planted segment effect and a planted weekend effect, large enough
// (about 600,000 visitors) that every rate is pinned to a fraction of its value.
model::Scenario large_scenario() {
  const auto parsed = parse::parse_scenario(R"({
    "seed": 3, "as_of": "2026-10-05T00:00:00Z",
    "store": {
      "name": "Large", "order_value": {"mean": 90, "cv": 1.1}, "weekend_traffic": 1.5,
      "funnel": {"add_to_cart_rate": 0.1, "checkout_begin_rate": 0.06,
                 "checkout_enter_contact_info_rate": 0.05, "checkout_address_submitted_rate": 0.04},
      "segments": {"device_type": {"Desktop": 0.35, "Mobile": 0.6, "Tablet": 0.05},
                   "visitor_type": {"New": 0.7, "Returning": 0.3}},
      "conversion_multipliers": {"visitor_type": {"Returning": 1.5}, "day_type": {"weekend": 0.9}}
    },
    "experiments": [
      {"id": "big", "status": "ended", "start": "2026-09-01", "end": "2026-09-30",
       "daily_visitors": 20000,
       "variations": [
         {"id": "control", "control": true, "allocation": 40, "conversion_rate": 0.025},
         {"id": "mobile-win", "allocation": 30, "conversion_rate": 0.025,
          "conversion_multipliers": {"device_type": {"Mobile": 1.3}}},
         {"id": "weekend-win", "allocation": 30, "conversion_rate": 0.025,
          "order_value": {"mean": 99, "cv": 1.1},
          "conversion_multipliers": {"day_type": {"weekend": 1.25}}}
       ]}
    ]})",
                                            "large.json");
  EXPECT_TRUE(parsed) << parsed.error().describe();
  return parsed ? parsed.value() : model::Scenario{};
}

// |observed - expected| within four binomial standard errors.
void expect_rate_near(std::uint64_t events, std::uint64_t trials, double expected,
                      const std::string& what) {
  ASSERT_GT(trials, 0U) << what;
  const double observed = static_cast<double>(events) / static_cast<double>(trials);
  const double se = std::sqrt(expected * (1.0 - expected) / static_cast<double>(trials));
  EXPECT_NEAR(observed, expected, 4.0 * se) << what << ": " << events << " of " << trials;
}

void expect_tally_matches(const Tally& tally, const ExpectedMetrics& expected, double cv,
                          const std::string& what) {
  expect_rate_near(tally.orders, tally.visitors, expected.conversion_rate, what + " conversion");
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    expect_rate_near(tally.reached[stage], tally.visitors, expected.funnel[stage],
                     what + " funnel stage " + std::to_string(stage));
  }
  expect_rate_near(tally.abandoned_cart, tally.visitors, expected.abandoned_cart_rate,
                   what + " abandoned cart");
  const double orders = static_cast<double>(tally.orders);
  const double mean_order = tally.revenue() / orders;
  EXPECT_NEAR(mean_order, expected.order_value, 4.0 * cv * expected.order_value / std::sqrt(orders))
      << what << " order value";
}

TEST(SimulatePopulation, CountsMatchThePlantedTruthWithinSamplingError) {
  const model::Scenario scenario = large_scenario();
  const Simulation simulation = simulate_population(scenario);
  const model::ScenarioExperiment& experiment = scenario.experiments[0];
  const ExperimentSimulation& data = simulation.experiments[0];
  ASSERT_EQ(data.days.size(), 30U);
  const std::vector<Tally> overall = sum_arms(data.days, 3);

  std::uint64_t visitors = 0;
  for (const Tally& arm : overall) {
    visitors += arm.visitors;
  }
  // 8 weekend days at 1.5 times the weekday traffic; each day's count has sd sqrt(lambda).
  const double expected_visitors = 20000.0 * (22 + 8 * 1.5);
  EXPECT_NEAR(static_cast<double>(visitors), expected_visitors, 4.0 * std::sqrt(expected_visitors));

  for (std::size_t arm = 0; arm < 3; ++arm) {
    const std::string name = experiment.variations[arm].id;
    expect_rate_near(overall[arm].visitors, visitors,
                     experiment.variations[arm].allocation_percent / 100.0, name + " allocation");
    expect_tally_matches(overall[arm], expected_metrics(scenario, experiment, arm), 1.1,
                         name + " overall");
    for (std::size_t value = 0; value < 3; ++value) {
      const Tally segment = sum_segment(data.days, 3, 0, value)[arm];
      expect_rate_near(segment.visitors, overall[arm].visitors,
                       scenario.store.dimensions[0].values[value].share,
                       name + " device share " + std::to_string(value));
      expect_tally_matches(segment,
                           expected_metrics(scenario, experiment, arm, TruthSlice{0, value, {}}),
                           1.1, name + " device " + std::to_string(value));
    }
    for (const bool weekend : {false, true}) {
      Tally days;
      for (const DayTallies& day : data.days) {
        if (day.date.is_weekend() == weekend) {
          days.add(day.arms[arm]);
        }
      }
      expect_tally_matches(
          days, expected_metrics(scenario, experiment, arm, TruthSlice{std::nullopt, 0, weekend}),
          1.1, name + (weekend ? " weekend" : " weekday"));
    }
  }
}

TEST(SimulatePopulation, TruthCarriesThePlantedEffectsAndNothingElse) {
  const model::Scenario scenario = large_scenario();
  const model::ScenarioExperiment& experiment = scenario.experiments[0];
  const auto rate = [&](std::size_t arm, TruthSlice slice) {
    return expected_metrics(scenario, experiment, arm, slice).conversion_rate;
  };
  // Mobile wins only on Mobile.
  EXPECT_NEAR(rate(1, {0, 1, {}}) / rate(0, {0, 1, {}}), 1.3, 1e-12);
  EXPECT_NEAR(rate(1, {0, 0, {}}) / rate(0, {0, 0, {}}), 1.0, 1e-12);
  EXPECT_NEAR(rate(1, {std::nullopt, 0, true}) / rate(0, {std::nullopt, 0, true}), 1.18, 1e-12);
  // The weekend arm wins only at weekends, on every device.
  EXPECT_NEAR(rate(2, {std::nullopt, 0, true}) / rate(0, {std::nullopt, 0, true}), 1.25, 1e-12);
  EXPECT_NEAR(rate(2, {std::nullopt, 0, false}) / rate(0, {std::nullopt, 0, false}), 1.0, 1e-12);
  // Store-level multipliers apply to everyone: Returning visitors convert 1.5 times as often.
  EXPECT_NEAR(rate(0, {1, 1, false}) / rate(0, {1, 0, false}), 1.5, 1e-12);
  // The weekday rate of the control is the base rate times the mean visitor-type factor.
  EXPECT_NEAR(rate(0, {std::nullopt, 0, false}), 0.025 * (0.7 + 0.3 * 1.5), 1e-15);
  const ExpectedMetrics weekend_arm = expected_metrics(scenario, experiment, 2);
  EXPECT_DOUBLE_EQ(weekend_arm.order_value, 99.0);
  EXPECT_DOUBLE_EQ(weekend_arm.revenue_per_visitor, weekend_arm.conversion_rate * 99.0);
  // The funnel passes through the stated rates at the reference (control, no multiplier).
  EXPECT_GT(weekend_arm.funnel[0], weekend_arm.funnel[1]);
  EXPECT_GT(weekend_arm.funnel[3], weekend_arm.conversion_rate);
}

TEST(SimulatePopulation, SlicesAddUpToTheWhole) {
  const model::Scenario scenario = test::small_scenario();
  const Simulation simulation = simulate_population(scenario);
  ASSERT_EQ(simulation.experiments.size(), scenario.experiments.size());
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    const model::ScenarioExperiment& experiment = scenario.experiments[e];
    const ExperimentSimulation& data = simulation.experiments[e];
    if (experiment.status == model::ScenarioStatus::pending) {
      EXPECT_TRUE(data.days.empty());
      continue;
    }
    ASSERT_EQ(static_cast<std::int64_t>(data.days.size()), experiment.days());
    const std::size_t arms = experiment.variations.size();
    const std::vector<Tally> overall = sum_arms(data.days, arms);
    for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
      for (std::size_t arm = 0; arm < arms; ++arm) {
        Tally total;
        for (std::size_t v = 0; v < scenario.store.dimensions[d].values.size(); ++v) {
          total.add(sum_segment(data.days, arms, d, v)[arm]);
        }
        EXPECT_EQ(total.visitors, overall[arm].visitors);
        EXPECT_EQ(total.orders, overall[arm].orders);
        EXPECT_EQ(total.revenue_cents, overall[arm].revenue_cents);
        EXPECT_EQ(total.reached, overall[arm].reached);
      }
    }
    for (std::size_t arm = 0; arm < arms; ++arm) {
      const Tally& t = overall[arm];
      EXPECT_LE(t.orders, t.reached[3]);
      EXPECT_LE(t.reached[3], t.reached[2]);
      EXPECT_LE(t.reached[1], t.reached[0]);
      EXPECT_EQ(t.abandoned_cart, t.reached[0] - t.orders);
      EXPECT_EQ(t.abandoned_checkout, t.reached[1] - t.orders);
    }
    if (experiment.source == model::ScenarioSource::bandit) {
      std::uint64_t visitors = 0;
      for (const Tally& t : overall) {
        visitors += t.visitors;
      }
      EXPECT_EQ(data.users.size(), visitors);
      // Thompson sampling moves traffic towards the best arm (b converts twice as often).
      EXPECT_GT(data.days.back().allocation[1], data.days.front().allocation[1]);
    }
  }
  ASSERT_EQ(simulation.sitewide.days.size(), 14U);
  EXPECT_EQ(simulation.sitewide.window_begin, 7U);
}

bool same_tallies(const Simulation& a, const Simulation& b) {
  const auto same_tally = [](const Tally& x, const Tally& y) {
    return x.visitors == y.visitors && x.orders == y.orders && x.reached == y.reached &&
           x.revenue_cents == y.revenue_cents && x.revenue_sq == y.revenue_sq;
  };
  for (std::size_t e = 0; e < a.experiments.size(); ++e) {
    const auto& days_a = a.experiments[e].days;
    const auto& days_b = b.experiments[e].days;
    if (days_a.size() != days_b.size()) {
      return false;
    }
    for (std::size_t d = 0; d < days_a.size(); ++d) {
      for (std::size_t arm = 0; arm < days_a[d].arms.size(); ++arm) {
        if (!same_tally(days_a[d].arms[arm], days_b[d].arms[arm])) {
          return false;
        }
      }
    }
  }
  return true;
}

TEST(SimulatePopulation, IsAPureFunctionOfScenarioAndSeed) {
  model::Scenario scenario = test::small_scenario();
  Simulation one_thread;
  {
    const stats::ThreadLimit limit(1);
    one_thread = simulate_population(scenario);
  }
  Simulation two_threads;
  {
    const stats::ThreadLimit limit(2);
    two_threads = simulate_population(scenario);
  }
  EXPECT_TRUE(same_tallies(one_thread, two_threads));
  scenario.seed += 1;
  EXPECT_FALSE(same_tallies(one_thread, simulate_population(scenario)));
}

} // namespace
} // namespace reckon::simulate
