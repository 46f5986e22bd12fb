// The planted-split sweeps end to end: a scenario with allocation multipliers, `reckon simulate`
// for each seed, then `reckon segments --format json` on its counts. A simulation costs about a
// second, so these run a tenth of RECKON_SWEEP_SEEDS (at least 5); the library-level sweeps in
// segments_sweep_test.cpp run the full count.

#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

int scenario_seeds() {
  const char* text = std::getenv("RECKON_SWEEP_SEEDS");
  const int seeds = text != nullptr ? std::atoi(text) / 10 : 0;
  return seeds >= 5 ? seeds : 20;
}

// Two tests on a store whose Desktop visitors convert twice as often as Mobile's. "simpson":
// the variant converts 10 % better everywhere but gets two thirds of Mobile and a third of
// Desktop, so its pooled conversion is lower (stats-anchors §5.5 in shape). "split": an A/A
// test whose Tablet visitors (7 %) are split 52/48.
constexpr const char* k_scenario = R"({
  "schema": "reckon.scenario/v1",
  "seed": 7,
  "as_of": "2026-09-29T06:00:00Z",
  "store": {
    "name": "Sweep Store",
    "order_value": {"mean": 80, "cv": 0.8},
    "funnel": {"add_to_cart_rate": 0.2, "checkout_begin_rate": 0.15,
               "checkout_enter_contact_info_rate": 0.13, "checkout_address_submitted_rate": 0.12},
    "segments": {"device_type": {"Desktop": 0.38, "Mobile": 0.55, "Tablet": 0.07},
                 "visitor_type": {"New": 0.68, "Returning": 0.32}},
    "conversion_multipliers": {"device_type": {"Desktop": 2.0, "Mobile": 0.6}}
  },
  "experiments": [
    {"id": "simpson", "status": "ended", "start": "2026-09-01", "end": "2026-09-28",
     "daily_visitors": 3000,
     "variations": [
       {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
       {"id": "variant", "allocation": 50, "conversion_rate": 0.033,
        "allocation_multipliers": {"device_type": {"Mobile": 2.0, "Desktop": 0.5}}}
     ]},
    {"id": "split", "status": "ended", "start": "2026-09-01", "end": "2026-09-28",
     "daily_visitors": 12000,
     "variations": [
       {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
       {"id": "variant", "allocation": 50, "conversion_rate": 0.03,
        "allocation_multipliers": {"device_type": {"Tablet": 1.0833333}}}
     ]}
  ]
})";

struct Outcome {
  bool reversal_flagged = false;
  bool tablet_srm = false;
  bool other_srm = false;
};

Outcome run_seed(const std::filesystem::path& dir, int seed) {
  const ProcessResult simulated =
      run_process(k_binary,
                  {"-q", "simulate", "--scenario", "scenario.json", "--out", "out", "--seed",
                   std::to_string(seed), "--honest"},
                  dir);
  EXPECT_EQ(simulated.exit_code, 0) << simulated.err;
  const ProcessResult segments = run_process(k_binary,
                                             {"segments", "--counts", "out/counts.csv", "--metric",
                                              "conversion_rate", "--exact", "--format", "json"},
                                             dir);
  EXPECT_EQ(segments.exit_code, 0) << segments.err;
  Outcome outcome;
  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(segments.out);
  for (const simdjson::dom::element experiment : document["experiments"].get_array()) {
    const std::string_view id = experiment["id"];
    if (id == "simpson") {
      for (const simdjson::dom::element check : experiment["dimensions"].get_array()) {
        outcome.reversal_flagged |=
            std::string_view(check["dimension"]) == "device_type" && bool(check["reversal"]);
      }
      continue;
    }
    for (const simdjson::dom::element srm : experiment["srm"].get_array()) {
      (std::string_view(srm["segment"]) == "Tablet" ? outcome.tablet_srm : outcome.other_srm) |=
          bool(srm["flag"]);
    }
  }
  return outcome;
}

TEST(SegmentsScenarioSweep, PlantedSplitsFromTheSimulatorAreFound) {
  const int seeds = scenario_seeds();
  const auto dir = fresh_temp_dir("segments-scenario-sweep");
  write_text(dir / "scenario.json", k_scenario);
  int reversals = 0;
  int tablet = 0;
  int tablet_alone = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    const Outcome outcome = run_seed(dir, seed);
    reversals += outcome.reversal_flagged ? 1 : 0;
    tablet += outcome.tablet_srm ? 1 : 0;
    tablet_alone += outcome.tablet_srm && !outcome.other_srm ? 1 : 0;
  }
  std::printf("[sweep] reckon simulate, %d seeds: Simpson reversal flagged in %.3f; 52/48 in "
              "Tablet fired its SRM in %.3f, and no other segment's in %.3f\n",
              seeds, static_cast<double>(reversals) / seeds, static_cast<double>(tablet) / seeds,
              static_cast<double>(tablet_alone) / seeds);
  EXPECT_GE(static_cast<double>(reversals) / seeds, 0.95);
  EXPECT_GE(static_cast<double>(tablet) / seeds, 0.95);
  EXPECT_GE(static_cast<double>(tablet_alone) / seeds, 0.85);
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace reckon::test
