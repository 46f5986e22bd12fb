#include "csv_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Reads every record of `text`, expecting no error.
std::vector<CsvRecord> read_all(std::string_view text) {
  CsvReader reader(text, "f.csv");
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    const auto more = reader.next(record);
    EXPECT_TRUE(more) << more.error().describe();
    if (!more || !*more) {
      return records;
    }
    records.push_back(record);
  }
}

util::Error first_error(std::string_view text) {
  CsvReader reader(text, "f.csv");
  CsvRecord record;
  while (true) {
    const auto more = reader.next(record);
    if (!more) {
      return more.error();
    }
    if (!*more) {
      ADD_FAILURE() << "no error in " << text;
      return {};
    }
  }
}

TEST(CsvReader, SplitsFieldsAndKeepsEmptyOnes) {
  const auto records = read_all("a,,b,\n,\n");
  ASSERT_EQ(records.size(), 2U);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "", "b", ""));
  EXPECT_THAT(records[1].fields, ElementsAre("", ""));
}

TEST(CsvReader, HandlesAMissingFinalLineBreak) {
  const auto records = read_all("a,b\nc,d");
  ASSERT_EQ(records.size(), 2U);
  EXPECT_THAT(records[1].fields, ElementsAre("c", "d"));
  EXPECT_THAT(read_all("a,")[0].fields, ElementsAre("a", ""));
}

TEST(CsvReader, ReadsNothingFromEmptyTextOrALoneBom) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, SkipsTheBomOnlyAtTheStart) {
  const auto records = read_all("\xEF\xBB\xBF"
                                "a\n\xEF\xBB\xBF"
                                "b\n");
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].fields[0], "a");
  EXPECT_EQ(records[1].fields[0], "\xEF\xBB\xBF"
                                  "b");
}

TEST(CsvReader, UnquotesFields) {
  const auto records = read_all("\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n");
  ASSERT_EQ(records.size(), 1U);
  EXPECT_THAT(records[0].fields, ElementsAre("a,b", "say \"hi\"", "", "\""));
}

TEST(CsvReader, KeepsAStrayQuoteInAnUnquotedField) {
  EXPECT_THAT(read_all("5\" screen,x\n")[0].fields, ElementsAre("5\" screen", "x"));
}

TEST(CsvReader, TracksTheLineWhereEachRecordStarts) {
  const auto records = read_all("a\n\"multi\r\nline\nfield\",b\r\nc\rd\n\ne");
  ASSERT_EQ(records.size(), 6U);
  EXPECT_EQ(records[0].line, 1U);
  EXPECT_EQ(records[1].line, 2U);
  EXPECT_THAT(records[1].fields, ElementsAre("multi\r\nline\nfield", "b"));
  EXPECT_EQ(records[2].line, 5U);
  EXPECT_EQ(records[3].line, 6U);
  EXPECT_EQ(records[3].fields[0], "d");
  EXPECT_EQ(records[4].line, 7U);
  EXPECT_THAT(records[4].fields, ElementsAre(""));
  EXPECT_EQ(records[5].line, 8U);
}

TEST(CsvReader, ReportsAnUnterminatedQuoteWhereItOpened) {
  const util::Error error = first_error("a,b\nc,\"open\nmore\n");
  EXPECT_EQ(error.code, util::ErrorCode::bad_input);
  EXPECT_EQ(error.where, "f.csv:2:2");
  EXPECT_THAT(error.message, HasSubstr("unterminated"));
}

TEST(CsvReader, RejectsTextAfterAClosingQuote) {
  const util::Error error = first_error("a\n\"x\ny\"z,b\n");
  EXPECT_EQ(error.code, util::ErrorCode::bad_input);
  EXPECT_EQ(error.where, "f.csv:3:1");
  EXPECT_THAT(error.message, HasSubstr("closing quote"));
}

TEST(CsvReader, ReusesTheRecordWithoutLeftovers) {
  CsvReader reader("a,b,c\nd\n", "f.csv");
  CsvRecord record;
  ASSERT_TRUE(*reader.next(record));
  ASSERT_TRUE(*reader.next(record));
  EXPECT_THAT(record.fields, ElementsAre("d"));
  EXPECT_FALSE(*reader.next(record));
}

} // namespace
} // namespace reckon::parse
