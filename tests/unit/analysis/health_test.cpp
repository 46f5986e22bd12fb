#include "reckon/analysis/analyze.hpp"
#include "reckon/analysis/health.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace reckon::analysis {
namespace {

const util::Date k_as_of = util::Date::from_civil(2026, 9, 28);
constexpr std::int64_t k_day_ms = 86'400'000;

struct Arm {
  std::uint64_t visitors;
  std::uint64_t conversions;
  double allocation = 50;
};

model::ArmCounts counts(const char* id, std::uint64_t visitors, std::uint64_t conversions,
                        double revenue = 0.0) {
  model::ArmCounts arm;
  arm.variation_id = id;
  arm.visitors = visitors;
  arm.conversions = conversions;
  arm.revenue = revenue;
  return arm;
}

// A started test of `days` days to k_as_of with a control and one variant.
model::Experiment experiment(Arm control, Arm variant, int days = 21) {
  model::Experiment out;
  out.id = "t";
  out.name = "Test";
  out.status = "started";
  out.source = "counts_csv";
  out.started_at_ms = k_as_of.plus_days(1 - days).epoch_seconds() * 1000;
  out.variations = {{"control", "Control", true, control.allocation},
                    {"variant", "Variant", false, variant.allocation}};
  model::CountsCell overall{model::Slice::overall(), {}, "test"};
  for (const auto& [id, arm] : {std::pair{"control", control}, std::pair{"variant", variant}}) {
    overall.arms.push_back(
        counts(id, arm.visitors, arm.conversions, 50.0 * static_cast<double>(arm.conversions)));
  }
  out.cells.push_back(overall);
  return out;
}

ExperimentHealth health_of(const model::Experiment& test, HealthInputs inputs = {}) {
  AnalysisOptions options;
  options.sampling.draws = 20'000;
  options.metrics = {"conversion_rate"};
  const model::Dataset dataset{{test}};
  const Results results = analyze_counts(dataset, options);
  inputs.as_of = k_as_of;
  const HealthReport report = check_health(dataset, results, inputs);
  EXPECT_EQ(report.experiments.size(), 1U);
  return report.experiments.at(0);
}

const HealthReason* find_rule(const ExperimentHealth& health, std::string_view rule) {
  const auto found = std::find_if(health.reasons.begin(), health.reasons.end(),
                                  [&](const HealthReason& r) { return r.rule == rule; });
  return found == health.reasons.end() ? nullptr : &*found;
}

TEST(HealthRules, MinRuntimeFiresBelowTenDaysAndNotAtTen) {
  const ExperimentHealth nine = health_of(experiment({5000, 150}, {5000, 150}, 9));
  ASSERT_NE(find_rule(nine, "min_runtime"), nullptr);
  EXPECT_EQ(find_rule(nine, "min_runtime")->severity, ReasonSeverity::watch);
  EXPECT_EQ(nine.runtime_days, 9);
  EXPECT_EQ(find_rule(health_of(experiment({5000, 150}, {5000, 150}, 10)), "min_runtime"), nullptr);
}

TEST(HealthRules, AFourDayOldTestIsNotHealthy) {
  const ExperimentHealth young = health_of(experiment({20000, 600}, {20000, 600}, 4));
  EXPECT_EQ(young.runtime_days, 4);
  EXPECT_NE(young.status, HealthStatus::healthy);
}

TEST(HealthRules, MinVisitorsAndMinOrdersFireJustBelowTheirThresholds) {
  const ExperimentHealth below = health_of(experiment({99, 9}, {120, 12}));
  ASSERT_NE(find_rule(below, "min_visitors"), nullptr);
  EXPECT_EQ(find_rule(below, "min_visitors")->variation_id, "control");
  ASSERT_NE(find_rule(below, "min_orders"), nullptr);
  EXPECT_EQ(find_rule(below, "min_orders")->variation_id, "control");
  EXPECT_EQ(below.status, HealthStatus::watch);
  const ExperimentHealth at = health_of(experiment({100, 10}, {120, 12}));
  EXPECT_EQ(find_rule(at, "min_visitors"), nullptr);
  EXPECT_EQ(find_rule(at, "min_orders"), nullptr);
}

TEST(HealthRules, ConversionDropFiresAtTwentyPercentAndNotJustBelow) {
  const HealthThresholds thresholds;
  const model::Variation variant{"variant", "Variant", false, 50};
  const model::ArmCounts control = counts("control", 10000, 1000);
  // 800 against 1000: a drop of exactly 20 %, with P(drop >= 20 %) near one half: watch.
  const auto at = health_detail::conversion_drop_reason(control, counts("variant", 10000, 800),
                                                        variant, {}, thresholds);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->severity, ReasonSeverity::watch);
  EXPECT_NEAR(at->numbers.at(2).second, 0.20, 1e-12);
  EXPECT_GT(at->numbers.at(4).second, 0.4);
  EXPECT_LT(at->numbers.at(4).second, 0.6);
  // 801: a 19.9 % drop, and the evidence far from 0.95: nothing.
  EXPECT_FALSE(health_detail::conversion_drop_reason(control, counts("variant", 10000, 801),
                                                     variant, {}, thresholds));
}

TEST(HealthRules, DropEvidenceDecidesCriticalAtItsThreshold) {
  const model::Variation variant{"variant", "Variant", false, 50};
  const model::ArmCounts control = counts("control", 10000, 1000);
  const model::ArmCounts crashed = counts("variant", 10000, 700);
  HealthThresholds thresholds;
  const auto reason =
      health_detail::conversion_drop_reason(control, crashed, variant, {}, thresholds);
  ASSERT_TRUE(reason);
  const double evidence = reason->numbers.at(4).second;
  thresholds.drop_evidence = evidence - 1e-9;
  EXPECT_EQ(
      health_detail::conversion_drop_reason(control, crashed, variant, {}, thresholds)->severity,
      ReasonSeverity::critical);
  thresholds.drop_evidence = evidence + 1e-9;
  EXPECT_EQ(
      health_detail::conversion_drop_reason(control, crashed, variant, {}, thresholds)->severity,
      ReasonSeverity::watch);
}

TEST(HealthRules, APlantedThirtyPercentCrashIsCritical) {
  const ExperimentHealth crash = health_of(experiment({20000, 600}, {20000, 420}));
  EXPECT_EQ(crash.status, HealthStatus::critical);
  ASSERT_NE(crash.worst_reason(), nullptr);
  EXPECT_EQ(crash.worst_reason()->rule, "conversion_drop");
  EXPECT_NEAR(crash.worst_reason()->numbers.at(2).second, 0.30, 1e-12);
}

TEST(HealthRules, SrmFiresOnA52To48SplitAndNotOnAnHonestHalf) {
  const ExperimentHealth skewed = health_of(experiment({52000, 1560}, {48000, 1440}));
  ASSERT_NE(find_rule(skewed, "srm"), nullptr);
  EXPECT_EQ(find_rule(skewed, "srm")->severity, ReasonSeverity::critical);
  EXPECT_EQ(skewed.status, HealthStatus::critical);
  const ExperimentHealth honest = health_of(experiment({50000, 1500}, {50000, 1500}));
  EXPECT_EQ(find_rule(honest, "srm"), nullptr);
  EXPECT_EQ(honest.status, HealthStatus::healthy);
}

TEST(HealthRules, SrmFiresJustBelowItsPValueAndNotAtIt) {
  // 50,400 against 49,600: chi-square 6.4, p about 0.0114.
  const model::Experiment test = experiment({50400, 1500}, {49600, 1500});
  HealthInputs inputs;
  inputs.thresholds.srm_p_value = 0.0115;
  EXPECT_NE(find_rule(health_of(test, inputs), "srm"), nullptr);
  inputs.thresholds.srm_p_value = 0.0113;
  EXPECT_EQ(find_rule(health_of(test, inputs), "srm"), nullptr);
}

TEST(HealthRules, AnAdaptiveAllocationGetsANoteInsteadOfSrm) {
  HealthInputs inputs;
  inputs.adaptive.insert("t");
  const ExperimentHealth bandit = health_of(experiment({80000, 2400}, {20000, 600}), inputs);
  ASSERT_NE(find_rule(bandit, "srm"), nullptr);
  EXPECT_EQ(find_rule(bandit, "srm")->severity, ReasonSeverity::note);
  EXPECT_EQ(bandit.status, HealthStatus::healthy);
}

TEST(HealthRules, AStartedTestWithoutVisitorsIsCritical) {
  const ExperimentHealth empty = health_of(experiment({0, 0}, {0, 0}));
  EXPECT_EQ(empty.status, HealthStatus::critical);
  EXPECT_EQ(empty.worst_reason()->rule, "no_data");
}

// Day slices through `last_visited`, with visitors every day up to it and none after.
model::Experiment with_days(util::Date last_visited) {
  model::Experiment test = experiment({20000, 600}, {20000, 600});
  for (util::Date day = k_as_of.plus_days(-20); day <= k_as_of; day = day.plus_days(1)) {
    const std::uint64_t visitors = day <= last_visited ? 1000 : 0;
    const std::uint64_t orders = day <= last_visited ? 30 : 0;
    test.cells.push_back(
        {{"day", day.to_string(), {}},
         {counts("control", visitors, orders), counts("variant", visitors, orders)},
         "test"});
  }
  return test;
}

TEST(HealthRules, StalledFiresAfterADayWithoutVisitors) {
  const ExperimentHealth idle = health_of(with_days(k_as_of.plus_days(-1)));
  ASSERT_NE(find_rule(idle, "stalled"), nullptr);
  EXPECT_EQ(find_rule(idle, "stalled")->severity, ReasonSeverity::critical);
  EXPECT_EQ(find_rule(health_of(with_days(k_as_of)), "stalled"), nullptr);
  // Without day slices it is unknowable, and says so.
  const ExperimentHealth no_days = health_of(experiment({20000, 600}, {20000, 600}));
  ASSERT_NE(find_rule(no_days, "stalled"), nullptr);
  EXPECT_EQ(find_rule(no_days, "stalled")->severity, ReasonSeverity::note);
}

// Thresholds set away from the seed's defaults (as --config or a flag sets them) move each
// count rule's boundary: just below fires, at and just above do not.
TEST(HealthRules, CountRulesFollowTheirThresholdsJustBelowAtAndJustAbove) {
  HealthInputs inputs;
  inputs.thresholds.min_runtime_days = 14;
  inputs.thresholds.min_visitors = 2000;
  inputs.thresholds.min_orders = 60;
  const auto fires = [&](int days, std::uint64_t visitors, std::uint64_t orders,
                         std::string_view rule) {
    return find_rule(health_of(experiment({visitors, orders}, {5000, 150}, days), inputs), rule) !=
           nullptr;
  };
  EXPECT_TRUE(fires(13, 5000, 150, "min_runtime"));
  EXPECT_FALSE(fires(14, 5000, 150, "min_runtime"));
  EXPECT_FALSE(fires(15, 5000, 150, "min_runtime"));
  EXPECT_TRUE(fires(21, 1999, 150, "min_visitors"));
  EXPECT_FALSE(fires(21, 2000, 150, "min_visitors"));
  EXPECT_FALSE(fires(21, 2001, 150, "min_visitors"));
  EXPECT_TRUE(fires(21, 5000, 59, "min_orders"));
  EXPECT_FALSE(fires(21, 5000, 60, "min_orders"));
  EXPECT_FALSE(fires(21, 5000, 61, "min_orders"));
}

TEST(HealthRules, ConversionDropFiresJustAboveItsThresholdAndFollowsIt) {
  const model::Variation variant{"variant", "Variant", false, 50};
  const model::ArmCounts control = counts("control", 10000, 1000);
  HealthThresholds thresholds;
  // 799 against 1000: a 20.1 % drop, just past the seed's 20 %.
  const auto above = health_detail::conversion_drop_reason(control, counts("variant", 10000, 799),
                                                           variant, {}, thresholds);
  ASSERT_TRUE(above);
  EXPECT_NEAR(above->numbers.at(2).second, 0.201, 1e-12);
  thresholds.conversion_drop = 0.25; // the same drop under a 25 % threshold: nothing
  EXPECT_FALSE(health_detail::conversion_drop_reason(control, counts("variant", 10000, 799),
                                                     variant, {}, thresholds));
  EXPECT_TRUE(health_detail::conversion_drop_reason(control, counts("variant", 10000, 750), variant,
                                                    {}, thresholds));
}

TEST(HealthRules, NoDataNeedsEveryVariationEmptyAndIsCriticalOnlyWhileStarted) {
  const ExperimentHealth one_visitor = health_of(experiment({1, 0}, {0, 0}));
  EXPECT_EQ(find_rule(one_visitor, "no_data"), nullptr);
  model::Experiment ended = experiment({0, 0}, {0, 0});
  ended.status = "ended";
  const ExperimentHealth empty_ended = health_of(ended);
  ASSERT_NE(find_rule(empty_ended, "no_data"), nullptr);
  EXPECT_EQ(find_rule(empty_ended, "no_data")->severity, ReasonSeverity::watch);
}

TEST(HealthRules, StalledFollowsItsThresholdInDays) {
  HealthInputs inputs;
  inputs.thresholds.stalled_days = 3;
  // Idle 2 days (last visitors two days before --as-of): below 3, nothing; idle 3: critical.
  EXPECT_EQ(find_rule(health_of(with_days(k_as_of.plus_days(-2)), inputs), "stalled"), nullptr);
  const ExperimentHealth idle_health = health_of(with_days(k_as_of.plus_days(-3)), inputs);
  const HealthReason* idle = find_rule(idle_health, "stalled");
  ASSERT_NE(idle, nullptr);
  EXPECT_EQ(idle->severity, ReasonSeverity::critical);
  EXPECT_EQ(idle->numbers.at(0).second, 3.0);
}

TEST(HealthRules, ABanditSaysSrmDoesNotApplyEvenWhenItsSplitIsFarFromTheStart) {
  HealthInputs inputs;
  inputs.adaptive.insert("t");
  const ExperimentHealth bandit = health_of(experiment({80000, 2400}, {20000, 600}), inputs);
  const HealthReason* srm = find_rule(bandit, "srm");
  ASSERT_NE(srm, nullptr);
  EXPECT_EQ(srm->message, "not applied: the allocation adapts (a bandit), so visitors are not "
                          "meant to follow the starting split");
  EXPECT_TRUE(srm->numbers.empty());
  // The same split, not adaptive, is a critical SRM.
  EXPECT_EQ(find_rule(health_of(experiment({80000, 2400}, {20000, 600})), "srm")->severity,
            ReasonSeverity::critical);
}

CellResult cell(std::uint64_t visitors, std::uint64_t orders, std::optional<double> p2bc,
                std::optional<UpliftEstimate> uplift) {
  CellResult out;
  out.metric = "conversion_rate";
  out.n_visitors = visitors;
  out.n_orders = orders;
  out.prob_beat_control = p2bc;
  out.uplift = uplift;
  return out;
}

TEST(VerdictForecast, ProjectsTheWidthThatDecidesAtTheDailyTraffic) {
  const VerdictRule rule;
  // An uplift of +10 % whose 95 % interval of log(1 + u) has sd s: P(beat) = 0.80 needs
  // sd log(1.1) / z(0.80); the days scale with the squared ratio of the widths.
  const double z95 = 1.959963984540054;
  const double sd_now = 0.2;
  const double m = std::log1p(0.10);
  const UpliftEstimate uplift{0.10, std::expm1(m - z95 * sd_now), std::expm1(m + z95 * sd_now)};
  const CellResult variant = cell(10000, 300, 0.83, uplift);
  const CellResult control = cell(10000, 300, std::nullopt, std::nullopt);
  const VerdictForecast forecast = forecast_verdict(variant, control, 10, 0.95, rule);
  ASSERT_TRUE(forecast.days);
  const double needed = m / 0.8416212335729143;
  EXPECT_NEAR(*forecast.days, 10.0 * ((sd_now / needed) * (sd_now / needed) - 1.0), 1e-6);
  // Five days in, the rule's ten-day minimum comes first when the width already decides.
  const UpliftEstimate narrow{0.10, 0.09, 0.11};
  EXPECT_NEAR(*forecast_verdict(cell(10000, 300, 0.99, narrow), control, 5, 0.95, rule).days, 5.0,
              1e-12);
  EXPECT_FALSE(forecast_verdict(variant, control, std::nullopt, 0.95, rule).days);
}

} // namespace
} // namespace reckon::analysis
