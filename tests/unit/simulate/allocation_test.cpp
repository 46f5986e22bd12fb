// Allocation multipliers: a split skewed inside one segment (a per-segment sample-ratio
// mismatch) and an arm over-allocated where conversion is worse (a Simpson reversal).
#include "reckon/simulate/population.hpp"
#include "reckon/simulate/simulate.hpp"
#include "reckon/simulate/truth.hpp"

#include "reckon/parse/scenario.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <string>

namespace reckon::simulate {
namespace {

// Two experiments of about 300,000 visitors each over Desktop 40 % / Mobile 60 % and New 70 % /
// Returning 30 %: `srm` gives its variant 52/48 of Mobile (and the plain 50/50 elsewhere);
// `simpson` gives its variant three times the control's weight on Mobile, where everyone
// converts half as often, while the variant converts 10 % better on every device.
model::Scenario skewed_scenario() {
  const auto parsed = parse::parse_scenario(R"({
    "seed": 11, "as_of": "2026-10-01T00:00:00Z",
    "store": {
      "name": "Skewed", "order_value": {"mean": 50, "cv": 0.7},
      "funnel": {"add_to_cart_rate": 0.12, "checkout_begin_rate": 0.08,
                 "checkout_enter_contact_info_rate": 0.07, "checkout_address_submitted_rate": 0.06},
      "segments": {"device_type": {"Desktop": 0.4, "Mobile": 0.6},
                   "visitor_type": {"New": 0.7, "Returning": 0.3}},
      "conversion_multipliers": {"device_type": {"Desktop": 1.6, "Mobile": 0.8}}
    },
    "experiments": [
      {"id": "srm", "status": "ended", "start": "2026-09-01", "end": "2026-09-15",
       "daily_visitors": 20000,
       "variations": [
         {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
         {"id": "variant", "allocation": 50, "conversion_rate": 0.03,
          "allocation_multipliers": {"device_type": {"Mobile": 1.0833333333333333}}}
       ]},
      {"id": "simpson", "status": "ended", "start": "2026-09-01", "end": "2026-09-15",
       "daily_visitors": 20000,
       "variations": [
         {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
         {"id": "variant", "allocation": 50, "conversion_rate": 0.033,
          "allocation_multipliers": {"device_type": {"Mobile": 3}}}
       ]}
    ]})",
                                            "skewed.json");
  EXPECT_TRUE(parsed) << parsed.error().describe();
  return parsed ? parsed.value() : model::Scenario{};
}

// The variant's share of a group's visitors, within four binomial standard errors of `planted`.
void expect_variant_share(const std::vector<Tally>& arms, double planted, const std::string& what) {
  const double visitors = static_cast<double>(arms[0].visitors + arms[1].visitors);
  ASSERT_GT(visitors, 100'000.0) << what;
  const double share = static_cast<double>(arms[1].visitors) / visitors;
  EXPECT_NEAR(share, planted, 4.0 * std::sqrt(planted * (1.0 - planted) / visitors))
      << what << ": " << arms[1].visitors << " of " << visitors;
}

TEST(AllocationMultipliers, SkewTheSplitInsideTheirSegmentOnly) {
  const model::Scenario scenario = skewed_scenario();
  const model::ScenarioExperiment& experiment = scenario.experiments[0];
  const Simulation simulation = simulate_population(scenario);
  const ExperimentSimulation& data = simulation.experiments[0];

  // The planted split: 52/48 on Mobile, 50/50 on Desktop, their mixture everywhere else.
  const auto planted = [&](TruthSlice slice) {
    return expected_allocation(scenario, experiment, slice)[1];
  };
  EXPECT_NEAR(planted({0, 1, {}}), 0.52, 1e-12);
  EXPECT_NEAR(planted({0, 0, {}}), 0.50, 1e-12);
  EXPECT_NEAR(planted({}), 0.4 * 0.5 + 0.6 * 0.52, 1e-12);
  EXPECT_NEAR(planted({1, 0, {}}), planted({}), 1e-12);
  EXPECT_NEAR(expected_allocation(scenario, experiment)[0] + planted({}), 1.0, 1e-12);

  expect_variant_share(sum_segment(data.days, 2, 0, 1), 0.52, "Mobile");
  expect_variant_share(sum_segment(data.days, 2, 0, 0), 0.50, "Desktop");
  expect_variant_share(sum_arms(data.days, 2), planted({}), "overall");
  expect_variant_share(sum_segment(data.days, 2, 1, 0), planted({}), "New");
  // 52/48 is far outside the noise of Mobile's ~170,000 visitors: the skew shows.
  const std::vector<Tally> mobile = sum_segment(data.days, 2, 0, 1);
  const double mobile_visitors = static_cast<double>(mobile[0].visitors + mobile[1].visitors);
  EXPECT_GT(static_cast<double>(mobile[1].visitors) / mobile_visitors - 0.5,
            8.0 * std::sqrt(0.25 / mobile_visitors));
  // A visitor's arm comes from the same draw with or without the multipliers, and the arms
  // convert alike here, so a Mobile visitor moved to the other arm draws what it drew before:
  // Desktop's counts are exactly those of the same scenario without the skew.
  model::Scenario plain = scenario;
  plain.experiments[0].variations[1].allocation_multipliers.clear();
  const Simulation plain_simulation = simulate_population(plain);
  const ExperimentSimulation& plain_data = plain_simulation.experiments[0];
  for (std::size_t arm = 0; arm < 2; ++arm) {
    EXPECT_EQ(sum_segment(plain_data.days, 2, 0, 0)[arm].visitors,
              sum_segment(data.days, 2, 0, 0)[arm].visitors);
    EXPECT_EQ(sum_segment(plain_data.days, 2, 0, 0)[arm].orders,
              sum_segment(data.days, 2, 0, 0)[arm].orders);
  }
}

// The same factor on every value of one dimension plants the split overall (the demo's
// sample-ratio mismatch), while the stated allocation stays 50/50.
TEST(AllocationMultipliers, OneFactorOnEveryValueOfADimensionSkewsTheWholeTest) {
  model::Scenario scenario = skewed_scenario();
  model::ScenarioExperiment& experiment = scenario.experiments[0];
  experiment.variations[1].allocation_multipliers.push_back(
      {"device_type", "Desktop", 52.0 / 48.0});
  const Simulation simulation = simulate_population(scenario);
  const ExperimentSimulation& data = simulation.experiments[0];

  EXPECT_EQ(experiment.variations[0].allocation_percent, 50.0);
  EXPECT_EQ(experiment.variations[1].allocation_percent, 50.0);
  EXPECT_NEAR(expected_allocation(scenario, experiment)[1], 0.52, 1e-12);
  expect_variant_share(sum_arms(data.days, 2), 0.52, "overall");
  expect_variant_share(sum_segment(data.days, 2, 0, 0), 0.52, "Desktop");
  expect_variant_share(sum_segment(data.days, 2, 1, 0), 0.52, "New");
  expect_variant_share(sum_segment(data.days, 2, 0, 1), 0.52, "Mobile");
}

TEST(AllocationMultipliers, PlantASimpsonReversalThatTheTruthRecords) {
  const model::Scenario scenario = skewed_scenario();
  const model::ScenarioExperiment& experiment = scenario.experiments[1];
  const Simulation simulation = simulate_population(scenario);
  const ExperimentSimulation& data = simulation.experiments[1];
  const auto rate = [&](std::size_t arm, TruthSlice slice) {
    return expected_metrics(scenario, experiment, arm, slice).conversion_rate;
  };
  // Better by 10 % on each device, worse pooled: the variant's visitors are mostly Mobile.
  EXPECT_NEAR(rate(1, {0, 0, {}}) / rate(0, {0, 0, {}}), 1.1, 1e-12);
  EXPECT_NEAR(rate(1, {0, 1, {}}) / rate(0, {0, 1, {}}), 1.1, 1e-12);
  // Control: Mobile is 0.6 * 0.25 / (0.6 * 0.25 + 0.4 * 0.5) = 3/7 of its visitors; the
  // variant's 0.45 / 0.65 = 9/13.
  EXPECT_NEAR(rate(0, {}), 0.03 * (4.0 / 7.0 * 1.6 + 3.0 / 7.0 * 0.8), 1e-15);
  EXPECT_NEAR(rate(1, {}), 0.033 * (4.0 / 13.0 * 1.6 + 9.0 / 13.0 * 0.8), 1e-15);
  EXPECT_LT(rate(1, {}), rate(0, {}));

  // The counts show the reversal the truth plants.
  const std::vector<Tally> overall = sum_arms(data.days, 2);
  const auto observed = [](const Tally& t) {
    return static_cast<double>(t.orders) / static_cast<double>(t.visitors);
  };
  EXPECT_LT(observed(overall[1]), observed(overall[0]));
  for (std::size_t device = 0; device < 2; ++device) {
    const std::vector<Tally> segment = sum_segment(data.days, 2, 0, device);
    for (std::size_t arm = 0; arm < 2; ++arm) {
      const double expected = rate(arm, {0, device, {}});
      const double visitors = static_cast<double>(segment[arm].visitors);
      EXPECT_NEAR(observed(segment[arm]), expected,
                  4.0 * std::sqrt(expected * (1.0 - expected) / visitors))
          << "device " << device << " arm " << arm;
    }
  }
  for (std::size_t arm = 0; arm < 2; ++arm) {
    const double expected = rate(arm, {});
    EXPECT_NEAR(observed(overall[arm]), expected,
                4.0 * std::sqrt(expected / static_cast<double>(overall[arm].visitors)));
  }
}

TEST(AllocationMultipliers, TruthJsonRecordsThePlantedSplitPerSegment) {
  const model::Scenario scenario = skewed_scenario();
  std::string truth;
  for (const GeneratedFile& file : generate(scenario)) {
    if (file.path == "truth.json") {
      truth = file.content;
    }
  }
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(truth);
  const simdjson::dom::element srm = root["experiments"].at(0);
  const auto share = [&](const char* dimension, const char* label, const char* variation) {
    return double(srm["allocation_by_segment"]["segments"][dimension][label][variation]);
  };
  EXPECT_NEAR(share("device_type", "Mobile", "variant"), 0.52, 1e-12);
  EXPECT_NEAR(share("device_type", "Mobile", "control"), 0.48, 1e-12);
  EXPECT_NEAR(share("device_type", "Desktop", "variant"), 0.5, 1e-12);
  EXPECT_NEAR(share("visitor_type", "Returning", "variant"), 0.512, 1e-12);
  EXPECT_NEAR(double(srm["allocation_by_segment"]["overall"]["variant"]), 0.512, 1e-12);
  EXPECT_NEAR(double(srm["variations"].at(1)["allocation_multipliers"]["device_type"]["Mobile"]),
              52.0 / 48.0, 1e-15);
  // The configured allocation the vendor reports stays 50.
  EXPECT_EQ(double(srm["variations"].at(1)["allocation"]), 50.0);
}

} // namespace
} // namespace reckon::simulate
