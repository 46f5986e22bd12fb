#include "reckon/util/json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace reckon::util {
namespace {

TEST(JsonWriter, QuotesEveryCharacterThatNeedsIt) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c\nd\te\r"), "\"a\\\"b\\\\c\\nd\\te\\r\"");
  EXPECT_EQ(json_quote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(json_quote("Café"), "\"Café\"");
}

TEST(JsonWriter, WritesBytesThatAreNotUtf8AsTheReplacementCharacter) {
  EXPECT_EQ(json_quote("a\xff\"b\xc3"), "\"a\\ufffd\\\"b\\ufffd\"");
  EXPECT_EQ(json_quote("\xed\xa0\x80x"), "\"\\ufffd\\ufffd\\ufffdx\"");
}

TEST(JsonWriter, NestsWithIndentationAndWritesNullForNonFinite) {
  JsonWriter json;
  json.begin_object();
  json.key("n").value(std::uint64_t{3});
  json.key("x").value(0.25);
  json.key("nan").value(std::numeric_limits<double>::quiet_NaN());
  json.key("absent").value(std::optional<double>{});
  json.key("list").begin_array().value(true).value("s").end_array();
  json.key("empty").begin_object().end_object();
  json.end_object();
  EXPECT_EQ(json.finish(), "{\n"
                           "  \"n\": 3,\n"
                           "  \"x\": 0.25,\n"
                           "  \"nan\": null,\n"
                           "  \"absent\": null,\n"
                           "  \"list\": [\n"
                           "    true,\n"
                           "    \"s\"\n"
                           "  ],\n"
                           "  \"empty\": {}\n"
                           "}\n");
}

TEST(JsonWriter, CompactLayoutWritesNoWhitespace) {
  JsonWriter json(JsonWriter::Layout::compact);
  json.begin_object();
  json.key("n").value(3);
  json.key("list").begin_array().value(0.5).null().end_array();
  json.key("empty").begin_array().end_array();
  json.end_object();
  EXPECT_EQ(json.finish(), R"({"n":3,"list":[0.5,null],"empty":[]})");
}

} // namespace
} // namespace reckon::util
