#include "reckon/parse/counts_csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

constexpr std::string_view k_header =
    "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue,"
    "revenue_sq\n";

std::string two_arms(const std::string& e, const std::string& date = "") {
  return e + ",a,true,,," + date + ",100,10,50,300\n" + e + ",b,false,,," + date +
         ",110,12,61.5,400\n";
}

struct Indexed {
  util::Result<std::optional<std::vector<CountsCsvGroup>>> groups;
  std::vector<std::string> handed; // ids given to on_experiment, in order
};

Indexed index(const std::string& text) {
  Indexed out{std::optional<std::vector<CountsCsvGroup>>(), {}};
  out.groups = index_counts_csv(text, "counts.csv", [&out](model::Experiment experiment) {
    out.handed.push_back(experiment.id);
  });
  return out;
}

TEST(CountsCsvGroups, EachGroupReadsBackAsTheWholeParseHasIt) {
  const std::string text = std::string(k_header) + two_arms("e1") + two_arms("e1", "2026-03-01") +
                           two_arms("e2") + "\n\n";
  const Indexed indexed = index(text);
  ASSERT_TRUE(indexed.groups) << indexed.groups.error().describe();
  ASSERT_TRUE(*indexed.groups);
  const std::vector<CountsCsvGroup>& groups = **indexed.groups;
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_EQ(indexed.handed, (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(groups[0].line, 2U);
  EXPECT_EQ(groups[1].line, 6U);
  EXPECT_EQ(groups[0].end, groups[1].begin);
  EXPECT_EQ(groups[1].end, text.size());

  const auto whole = parse_counts_csv(text, "counts.csv");
  ASSERT_TRUE(whole);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto experiment = read_counts_group(text, "counts.csv", groups[i]);
    ASSERT_TRUE(experiment) << experiment.error().describe();
    const model::Experiment& expected = whole->experiments[i];
    EXPECT_EQ(experiment->id, expected.id);
    ASSERT_EQ(experiment->cells.size(), expected.cells.size());
    for (std::size_t c = 0; c < expected.cells.size(); ++c) {
      EXPECT_EQ(experiment->cells[c].slice, expected.cells[c].slice);
      EXPECT_EQ(experiment->cells[c].origin, expected.cells[c].origin); // file:line of the row
      ASSERT_EQ(experiment->cells[c].arms.size(), expected.cells[c].arms.size());
      EXPECT_EQ(experiment->cells[c].arms[1].visitors, expected.cells[c].arms[1].visitors);
    }
  }
}

TEST(CountsCsvGroups, InterleavedRowsAreNoGroups) {
  const std::string text =
      std::string(k_header) + two_arms("e1") + two_arms("e2") + two_arms("e1", "2026-03-01");
  const Indexed indexed = index(text);
  ASSERT_TRUE(indexed.groups) << indexed.groups.error().describe();
  EXPECT_FALSE(*indexed.groups);
}

// The error the whole parse gives, for files with problems in several experiments: a row's
// own problem first (in file order), else the earliest whole-experiment problem.
TEST(CountsCsvGroups, GivesTheErrorsOfTheWholeParse) {
  const std::vector<std::string> files{
      std::string(k_header) + "e1,a,true,,,,100,10,50,300\n" + two_arms("e2") +
          "e3,a,true,,,,100,x,50,300\n",
      std::string(k_header) + two_arms("e1") + "e2,a,true,,,,100,10,50,300\n" + two_arms("e3") +
          "e3,b,false,,,2026-03-01,110,12,61.5,400\n",
      std::string(k_header) + two_arms("e1") + "e1,a,true,,,,100,10,50,300\n",
      std::string(k_header),
  };
  for (const std::string& text : files) {
    const auto whole = parse_counts_csv(text, "counts.csv");
    const Indexed indexed = index(text);
    ASSERT_FALSE(whole);
    ASSERT_FALSE(indexed.groups) << text;
    EXPECT_EQ(indexed.groups.error().describe(), whole.error().describe());
  }
}

} // namespace
} // namespace reckon::parse
