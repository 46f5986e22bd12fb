#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

// The engine block records the thread count; everything else must not depend on it.
std::string without_thread_count(std::string json) {
  const std::string key = "\"threads\": ";
  const std::size_t start = json.find(key);
  if (start != std::string::npos) {
    const std::size_t digits = start + key.size();
    json.erase(digits, json.find_first_not_of("0123456789", digits) - digits);
  }
  return json;
}

TEST(AnalyzeCommand, SameSeedGivesBitIdenticalOutputForOneAndTwoThreads) {
  const auto dir = fresh_temp_dir("threads");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const ProcessResult one = run_process(k_binary,
                                        {"analyze", "--counts", counts, "--format", "json",
                                         "--threads", "1", "--seed", "42", "--draws", "20000"},
                                        dir);
  const ProcessResult two = run_process(k_binary,
                                        {"analyze", "--counts", counts, "--format", "json",
                                         "--threads", "2", "--seed", "42", "--draws", "20000"},
                                        dir);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(one.out.find("\"threads\": 1"), std::string::npos);
  EXPECT_NE(two.out.find("\"threads\": 2"), std::string::npos);
  EXPECT_EQ(without_thread_count(one.out), without_thread_count(two.out));

  const ProcessResult other_seed =
      run_process(k_binary,
                  {"analyze", "--counts", counts, "--format", "json", "--threads", "2", "--seed",
                   "43", "--draws", "20000"},
                  dir);
  ASSERT_EQ(other_seed.exit_code, 0) << other_seed.err;
  EXPECT_NE(without_thread_count(one.out), without_thread_count(other_seed.out));
}

TEST(AnalyzeCommand, WritesTheResultsDocumentAtomicallyToAFile) {
  const auto dir = fresh_temp_dir("output");
  write_text(dir / "counts.csv",
             "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,"
             "revenue\n"
             "e1,a,true,,,,1000,100,5000\n"
             "e1,b,false,,,,1000,120,6100\n");
  const ProcessResult result = run_process(
      k_binary, {"analyze", "--counts", "counts.csv", "--format", "json", "-o", "out.json"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  const std::string json = read_text(dir / "out.json");
  EXPECT_NE(json.find("\"schema\": \"reckon.results/v1\""), std::string::npos);
  EXPECT_NE(json.find("\"value\": 0.12,"), std::string::npos);
  EXPECT_NE(json.find("\"model\": \"beta_binomial\""), std::string::npos);
  EXPECT_NE(json.find("\"uplift\": {\n"), std::string::npos);
  EXPECT_EQ(json.find("nan"), std::string::npos);
}

struct BadInput {
  const char* name;
  const char* csv;
  const char* where; // expected "file:line:column"
  const char* column;
};

class AnalyzeRejectsBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(AnalyzeRejectsBadInput, WithFileLineColumnExitThreeAndNothingWritten) {
  const BadInput& bad = GetParam();
  const auto dir = fresh_temp_dir("bad");
  write_text(dir / "bad.csv", bad.csv);
  write_text(dir / "out.json", "previous results\n");
  const ProcessResult result = run_process(
      k_binary, {"analyze", "--counts", "bad.csv", "--format", "json", "-o", "out.json"}, dir);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find(std::string("reckon: ") + bad.where + ": " + bad.column),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(read_text(dir / "out.json"), "previous results\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator{}),
            2);
}

constexpr const char* k_header =
    "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, AnalyzeRejectsBadInput,
    ::testing::Values(
        BadInput{"missing_column",
                 "experiment,variation,is_control,segment_type,segment,date,visitors,revenue\n"
                 "e1,a,true,,,,10,5\n",
                 "bad.csv:1", "conversions"},
        BadInput{"not_a_number",
                 "experiment,variation,is_control,segment_type,segment,date,visitors,"
                 "conversions,revenue\n"
                 "e1,a,true,,,,100,5,10\ne1,b,false,,,,1OO,5,10\n",
                 "bad.csv:3:7", "visitors"},
        BadInput{"negative_visitors",
                 "experiment,variation,is_control,segment_type,segment,date,visitors,"
                 "conversions,revenue\n"
                 "e1,a,true,,,,-100,5,10\ne1,b,false,,,,100,5,10\n",
                 "bad.csv:2:7", "visitors"},
        BadInput{"conversions_above_visitors",
                 "experiment,variation,is_control,segment_type,segment,date,visitors,"
                 "conversions,revenue\n"
                 "e1,a,true,,,,100,5,10\ne1,b,false,,,,100,101,10\n",
                 "bad.csv:3:8", "conversions"},
        BadInput{"two_controls",
                 "experiment,variation,is_control,segment_type,segment,date,visitors,"
                 "conversions,revenue\n"
                 "e1,a,true,,,,100,5,10\ne1,b,true,,,,100,5,10\n",
                 "bad.csv:3:3", "is_control"},
        BadInput{"no_control",
                 "experiment,variation,is_control,segment_type,segment,date,visitors,"
                 "conversions,revenue\n"
                 "e1,a,false,,,,100,5,10\ne1,b,false,,,,100,5,10\n",
                 "bad.csv:2:3", "is_control"}),
    [](const ::testing::TestParamInfo<BadInput>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(AnalyzeCommand, UsageErrorsExitTwoAndNameTheOption) {
  const auto dir = fresh_temp_dir("usage");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const ProcessResult no_input = run_process(k_binary, {"analyze"}, dir);
  // Without an input the default store, reckon.db, is read; here there is none.
  EXPECT_EQ(no_input.exit_code, 2);
  EXPECT_NE(no_input.err.find("--store: no store at reckon.db"), std::string::npos) << no_input.err;
  EXPECT_NE(no_input.err.find("--counts"), std::string::npos) << no_input.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "reckon.db"));

  const ProcessResult bad_level =
      run_process(k_binary, {"analyze", "--counts", counts, "--level", "1.5"}, dir);
  EXPECT_EQ(bad_level.exit_code, 2);
  EXPECT_NE(bad_level.err.find("--level"), std::string::npos) << bad_level.err;

  const ProcessResult bad_prior =
      run_process(k_binary, {"analyze", "--counts", counts, "--prior", "1,-2"}, dir);
  EXPECT_EQ(bad_prior.exit_code, 2);
  EXPECT_NE(bad_prior.err.find("--prior"), std::string::npos) << bad_prior.err;

  const ProcessResult unknown_experience =
      run_process(k_binary, {"analyze", "--counts", counts, "--experience", "nope"}, dir);
  EXPECT_EQ(unknown_experience.exit_code, 2);
  EXPECT_NE(unknown_experience.err.find("--experience: no experiment \"nope\""), std::string::npos)
      << unknown_experience.err;
}

TEST(AnalyzeCommand, MissingInputFileIsNamed) {
  const auto dir = fresh_temp_dir("missing");
  const ProcessResult result = run_process(k_binary, {"analyze", "--counts", "absent.csv"}, dir);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("reckon: absent.csv: cannot open for reading"), std::string::npos)
      << result.err;
}

} // namespace
} // namespace reckon::test

namespace reckon::test {
namespace {

// The answer comes first: each test's verdict on its primary metric, and every threshold of
// the rule is a flag.
TEST(AnalyzeCommand, ShowsAVerdictPerVariationOnThePrimaryMetric) {
  const auto dir = fresh_temp_dir("verdicts");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const ProcessResult table =
      run_process(k_binary, {"analyze", "--counts", counts, "--draws", "20000"}, dir);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const std::size_t shipping = table.out.find("free-shipping-threshold");
  ASSERT_NE(shipping, std::string::npos);
  EXPECT_EQ(table.out.find("  verdict on net_revenue_per_visitor (revenue per visitor, as no "
                           "costs are known)\n    free-over-50  WINNER ",
                           shipping),
            table.out.find('\n', table.out.find('\n', shipping) + 1) + 1);
  // The summary: the overall population only, primary metric first, within 100 columns.
  EXPECT_EQ(table.out.find("device_type"), std::string::npos);
  EXPECT_NE(table.out.find("net_revenue_per_visitor (primary):\n", shipping), std::string::npos);
  std::size_t start = 0;
  while (start < table.out.size()) {
    const std::size_t end = table.out.find('\n', start);
    EXPECT_LE(end - start, 100U) << table.out.substr(start, end - start);
    start = end + 1;
  }
  EXPECT_NE(table.out.find("    reassurance  TOO EARLY     4 days of the 10 needed\n"),
            std::string::npos);

  const ProcessResult strict =
      run_process(k_binary,
                  {"analyze", "--counts", counts, "--draws", "20000", "--format", "json",
                   "--threshold", "0.9999", "--min-days", "3", "--experience",
                   "free-shipping-threshold", "--experience", "checkout-trust-copy"},
                  dir);
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  EXPECT_NE(strict.out.find("\"threshold\": 0.9999"), std::string::npos);
  EXPECT_NE(strict.out.find("\"min_runtime_days\": 3"), std::string::npos);
  // Four days pass --min-days 3, but 4 days of 180 visitors hold too few orders.
  EXPECT_NE(strict.out.find("orders in both arms, 30 needed"), std::string::npos);
  EXPECT_EQ(strict.out.find("4 days of the"), std::string::npos);

  const ProcessResult bad =
      run_process(k_binary, {"analyze", "--counts", counts, "--threshold", "1.5"}, dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--threshold"), std::string::npos) << bad.err;
}

} // namespace
} // namespace reckon::test
