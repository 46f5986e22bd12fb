#include "support/paths.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// The line after the experiment's heading in the headline table: its first variation.
std::string headline_row(const std::vector<std::string>& lines, const std::string& heading) {
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind(heading + ":", 0) == 0) {
      return lines[i + 1];
    }
  }
  return {};
}

// The first screen: the headline table of every experiment, then its legend.
std::vector<std::string> first_screen(const std::string& out) {
  std::vector<std::string> lines = lines_of(out);
  lines.resize(std::min<std::size_t>(lines.size(), 30));
  return lines;
}

TEST(TemporalCommand, TheDemoCountsFirstScreenNamesTheWeekendEffectAndASteadyWinner) {
  const auto dir = fresh_temp_dir("temporal_demo");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const ProcessResult result = run_process(k_binary, {"temporal", "--counts", counts}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> screen = first_screen(result.out);
  const std::string weekend = headline_row(screen, "weekend-bundle-banner");
  EXPECT_NE(weekend.find("bundle-banner"), std::string::npos) << result.out;
  EXPECT_NE(weekend.find("weekend only"), std::string::npos) << weekend;
  EXPECT_NE(weekend.find("1.00"), std::string::npos) << weekend;
  const std::string shipping = headline_row(screen, "free-shipping-threshold");
  EXPECT_NE(shipping.find("steady"), std::string::npos) << shipping;
  for (const std::string& line : lines_of(result.out)) {
    EXPECT_LE(line.size(), 100U) << line;
  }
  // Every day is named by its weekday.
  EXPECT_NE(result.out.find("2026-09-05   Saturday"), std::string::npos);
}

TEST(TemporalCommand, AStoreImportedFromTheDemoNamesTheWeekendEffectByName) {
  const auto dir = fresh_temp_dir("temporal_store");
  const ProcessResult imported =
      run_process(k_binary, {"import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const ProcessResult result = run_process(k_binary, {"temporal", "--store", "demo.db"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> screen = first_screen(result.out);
  const std::string weekend = headline_row(screen, "Weekend bundle banner");
  EXPECT_NE(weekend.find("Bundle banner"), std::string::npos) << result.out;
  EXPECT_NE(weekend.find("weekend only"), std::string::npos) << weekend;
  EXPECT_NE(headline_row(screen, "Free shipping over $50").find("steady"), std::string::npos);
  EXPECT_NE(result.out.find("day window)"), std::string::npos);
}

TEST(TemporalCommand, JsonCarriesEveryDifferenceWithItsErrorAndIsTheSameOnAnyThreadCount) {
  const auto dir = fresh_temp_dir("temporal_json");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const auto run = [&](const char* threads) {
    return run_process(k_binary,
                       {"temporal", "--counts", counts, "--format", "json", "--threads", threads,
                        "--draws", "20000", "--experience", "weekend-bundle-banner"},
                       dir);
  };
  const ProcessResult one = run("1");
  const ProcessResult two = run("2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const auto thread_free = [](std::string text) {
    const std::size_t at = text.find("\"threads\": ");
    return text.erase(at, text.find('\n', at) - at);
  };
  EXPECT_EQ(thread_free(one.out), thread_free(two.out));

  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(one.out);
  EXPECT_EQ(std::string_view(document["schema"]), "reckon.temporal/v1");
  const simdjson::dom::element experiment = document["experiments"].at(0);
  EXPECT_EQ(std::string_view(experiment["metric"]), "net_revenue_per_visitor");
  EXPECT_EQ(simdjson::dom::array(experiment["days"]).size(), 28U);
  EXPECT_EQ(std::string_view(experiment["days"].at(4)["weekday"]), "Saturday");
  bool primary_seen = false;
  for (const simdjson::dom::element timeline : simdjson::dom::array(experiment["timelines"])) {
    const simdjson::dom::element difference = timeline["day_type"]["difference"];
    const double p = difference["prob_weekend_better"]["value"];
    const double se = difference["prob_weekend_better"]["mc_se"];
    EXPECT_GE(p, 0.95);
    EXPECT_GT(se, 0.0);
    EXPECT_LT(double(difference["ci_low"]["value"]), double(difference["ci_high"]["value"]));
    if (bool(timeline["primary"])) {
      primary_seen = true;
      EXPECT_EQ(std::string_view(timeline["trend"]["label"]), "steady");
      EXPECT_EQ(simdjson::dom::array(timeline["cumulative"]).size(), 28U);
      EXPECT_EQ(simdjson::dom::array(timeline["day_of_week"]).size(), 7U);
      // The demo's per-day source channels: each source's daily share against the uplift.
      const simdjson::dom::array sources = timeline["sources"];
      EXPECT_GE(sources.size(), 5U);
      for (const simdjson::dom::element source : sources) {
        EXPECT_EQ(std::string_view(source["method"]), "spearman");
        EXPECT_EQ(std::uint64_t(source["n"]), 28U);
        const double rho = source["rho"];
        EXPECT_LE(std::abs(rho), 1.0);
      }
    } else {
      EXPECT_TRUE(timeline["trend"].error() == simdjson::NO_SUCH_FIELD);
    }
  }
  EXPECT_TRUE(primary_seen);
}

TEST(TemporalCommand, CsvHasARowPerDayAndTheWeekendDifference) {
  const auto dir = fresh_temp_dir("temporal_csv");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const ProcessResult result =
      run_process(k_binary,
                  {"temporal", "--counts", counts, "--format", "csv", "--draws", "5000",
                   "--experience", "free-shipping-threshold", "--metric", "conversion_rate"},
                  dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = lines_of(result.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().rfind("experiment,variation_id,metric,slice_type,slice,weekday,", 0), 0U);
  // --metric names the only metric shown: 14 days, 14 cumulative days, 7 weekdays, the two
  // pooled day types and their difference.
  EXPECT_EQ(lines.size(), 1U + 14 + 14 + 7 + 2 + 1);
  EXPECT_NE(result.out.find(",conversion_rate,day,2026-09-05,Saturday,"), std::string::npos);
  EXPECT_NE(result.out.find(",conversion_rate,weekend_minus_weekday,"), std::string::npos);
}

} // namespace
} // namespace reckon::test
