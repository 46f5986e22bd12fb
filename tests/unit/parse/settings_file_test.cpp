#include "reckon/parse/settings_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = SettingValue::Kind;

std::vector<Setting> toml(std::string_view text) {
  auto settings = parse_settings_toml(text, "h.toml");
  EXPECT_TRUE(settings) << settings.error().describe();
  return settings ? *settings : std::vector<Setting>{};
}

// The error of `text`, as "where: message".
std::string toml_error(std::string_view text) {
  const auto settings = parse_settings_toml(text, "h.toml");
  if (settings) {
    ADD_FAILURE() << "no error in " << text;
    return {};
  }
  EXPECT_EQ(settings.error().code, util::ErrorCode::bad_input);
  return settings.error().describe();
}

std::string json_error(std::string_view text) {
  const auto settings = parse_settings_json(text, "h.json");
  if (settings) {
    ADD_FAILURE() << "no error in " << text;
    return {};
  }
  EXPECT_EQ(settings.error().code, util::ErrorCode::bad_input);
  return settings.error().describe();
}

TEST(SettingsToml, ReadsEveryKindOfValueWithItsTableAndPlace) {
  const std::vector<Setting> settings = toml("\xEF\xBB\xBF# the morning check\r\n"
                                             "top = 1\n"
                                             "[health]   # thresholds\n"
                                             "min_runtime = 14\n"
                                             "  srm_p=1e-4\n"
                                             "conversion_drop = +0.25 # a quarter\n"
                                             "min_visitors = 1_000\n"
                                             "fail_on = \"crit\\u00e9\\tcal\\\"\"\n"
                                             "name = 'C:\\path'\n"
                                             "dry = false\n"
                                             "[ notify ]\n"
                                             "targets = [\"slack\", 'webhook',\n"
                                             "  # the agent too\n"
                                             "  \"inteliworks\",\n"
                                             "]\n"
                                             "none = []\n"
                                             "on = true");
  ASSERT_EQ(settings.size(), 11U);
  EXPECT_EQ(settings[0].table, "");
  EXPECT_EQ(settings[0].where, "h.toml:2:1");
  EXPECT_EQ(settings[1].table, "health");
  EXPECT_EQ(settings[1].key, "min_runtime");
  EXPECT_EQ(settings[1].value.kind, Kind::number);
  EXPECT_THAT(settings[1].value.items, ElementsAre("14"));
  EXPECT_EQ(settings[2].where, "h.toml:5:3");
  EXPECT_THAT(settings[2].value.items, ElementsAre("1e-4"));
  EXPECT_THAT(settings[3].value.items, ElementsAre("0.25"));
  EXPECT_THAT(settings[4].value.items, ElementsAre("1000"));
  EXPECT_EQ(settings[5].value.kind, Kind::string);
  EXPECT_THAT(settings[5].value.items, ElementsAre("crit\xC3\xA9\tcal\""));
  EXPECT_THAT(settings[6].value.items, ElementsAre("C:\\path"));
  EXPECT_EQ(settings[7].value.kind, Kind::boolean);
  EXPECT_THAT(settings[7].value.items, ElementsAre("false"));
  EXPECT_EQ(settings[8].table, "notify");
  EXPECT_EQ(settings[8].value.kind, Kind::strings);
  EXPECT_THAT(settings[8].value.items, ElementsAre("slack", "webhook", "inteliworks"));
  EXPECT_EQ(settings[9].value.kind, Kind::strings);
  EXPECT_TRUE(settings[9].value.items.empty());
  EXPECT_THAT(settings[10].value.items, ElementsAre("true"));
}

TEST(SettingsToml, ReadsAnEmptyFileAndNegativeNumbers) {
  EXPECT_TRUE(toml("").empty());
  EXPECT_TRUE(toml("# nothing\n\n   \n").empty());
  EXPECT_THAT(toml("a = -3\nb = 0\nc = 0.5e+3\nd = 7E2")[0].value.items, ElementsAre("-3"));
  EXPECT_THAT(toml("c = 0.5e+3")[0].value.items, ElementsAre("0.5e+3"));
}

TEST(SettingsToml, RefusesEachSyntaxOutsideTheSubsetWithItsLineAndColumn) {
  EXPECT_EQ(toml_error("# \x01\n"), "h.toml:1:3: a control character in a comment");
  EXPECT_EQ(toml_error("[health] x\n"),
            "h.toml:1:10: expected the end of the line after the table header (one setting per "
            "line; a comment starts with #)");
  EXPECT_EQ(toml_error("a = 1 2\n"), "h.toml:1:7: expected the end of the line after the value "
                                     "(one setting per line; a comment starts with #)");
  EXPECT_EQ(
      toml_error("\"a\" = 1\n"),
      "h.toml:1:1: a key in quotes is not read here; write it bare (letters, digits, _ and -)");
  EXPECT_EQ(toml_error("= 1\n"), "h.toml:1:1: expected a key (letters, digits, _ and -)");
  EXPECT_EQ(toml_error("a.b = 1\n"),
            "h.toml:1:2: dotted names are not read here: write [health] or [notify], then plain "
            "keys");
  EXPECT_THAT(toml_error("[health.x]\n"), HasSubstr("h.toml:1:8: dotted names"));
  EXPECT_EQ(toml_error("[[health]]\n"),
            "h.toml:1:1: arrays of tables ([[...]]) are not read here: use [health] and [notify]");
  EXPECT_EQ(toml_error("[]\n"), "h.toml:1:2: expected a table name (letters, digits, _ and -)");
  EXPECT_EQ(toml_error("[health\n"), "h.toml:1:8: expected ] to close the table name");
  EXPECT_EQ(toml_error("[health]\n[notify]\n[health]\n"),
            "h.toml:3:1: table [health] appears twice (first at h.toml:1:1); give each table once");
  EXPECT_EQ(toml_error("a 1\n"), "h.toml:1:3: expected = after the key a");
  EXPECT_EQ(toml_error("[h]\na = 1\nb = 2\na = 3\n"),
            "h.toml:4:1: key h.a appears twice (first at h.toml:2:1); give each key once");
  EXPECT_EQ(toml_error("a = {b = 1}\n"),
            "h.toml:1:5: inline tables ({...}) are not read here: give each key on its own line");
  EXPECT_EQ(toml_error("a =\n"), "h.toml:1:4: expected a value: a number, a string in quotes, "
                                 "true, false or an array of strings (a string needs its quotes)");
  EXPECT_THAT(toml_error("fail_on = critical\n"), HasSubstr("h.toml:1:11: expected a value"));
  EXPECT_THAT(toml_error("a = True\n"), HasSubstr("h.toml:1:5: expected a value"));
  EXPECT_THAT(toml_error("a = _1\n"), HasSubstr("h.toml:1:5: expected a value"));
  EXPECT_EQ(toml_error("a = \"\"\"x\"\"\"\n"),
            "h.toml:1:5: multi-line strings (\"\"\") are not read here: write the string on one "
            "line");
  EXPECT_THAT(toml_error("a = '''x'''\n"), HasSubstr("h.toml:1:5: multi-line strings (''')"));
  EXPECT_EQ(toml_error("a = \"open\nb = 1\n"),
            "h.toml:1:5: the string is not closed on its line: a \" is missing");
  EXPECT_EQ(toml_error("a = 'open"),
            "h.toml:1:5: the string is not closed on its line: a ' is missing");
  EXPECT_EQ(toml_error("a = \"x\x1b[2J\"\n"),
            "h.toml:1:7: a control character in a string: write it as an escape such as \\t");
  EXPECT_THAT(toml_error("a = '\x7f'\n"), HasSubstr("h.toml:1:6: a control character"));
  EXPECT_EQ(toml_error("a = \"\\q\"\n"),
            "h.toml:1:6: unknown escape: \\b, \\t, \\n, \\f, \\r, \\\", \\\\, \\uXXXX and "
            "\\UXXXXXXXX are the escapes");
  EXPECT_EQ(toml_error("a = \"\\u12\"\n"), "h.toml:1:6: \\u needs 4 hex digits");
  EXPECT_EQ(toml_error("a = \"\\U0000"), "h.toml:1:6: \\U needs 8 hex digits");
  EXPECT_EQ(toml_error("a = \"\\uD800\"\n"),
            "h.toml:1:6: the escape names no Unicode scalar value (a surrogate, or past U+10FFFF)");
  EXPECT_THAT(toml_error("a = \"\\U00110000\"\n"), HasSubstr("no Unicode scalar value"));
  EXPECT_EQ(toml_error("a = [\"x\",\n"), "h.toml:1:5: the array is not closed: a ] is missing");
  EXPECT_EQ(toml_error("a = [\"x\"\n"), "h.toml:1:5: the array is not closed: a ] is missing");
  EXPECT_EQ(toml_error("a = [1, 2]\n"), "h.toml:1:6: an array holds strings in quotes only here");
  EXPECT_EQ(toml_error("a = [\"x\" \"y\"]\n"),
            "h.toml:1:10: expected , or ] after an item of the array");
  EXPECT_EQ(toml_error("a = 1\rb = 2\n"),
            "h.toml:1:6: expected the end of the line after the value (one setting per line; a "
            "comment starts with #)");
  EXPECT_EQ(toml_error("\r"), "h.toml:1:1: a carriage return without a line feed: lines end in "
                              "LF or CRLF");
}

TEST(SettingsToml, RefusesNumbersOutsideDecimalAndFinite) {
  for (const char* infinite : {"inf", "+inf", "-nan", "nan"}) {
    EXPECT_EQ(toml_error(std::string("a = ") + infinite),
              "h.toml:1:5: not a finite number: a threshold is finite")
        << infinite;
  }
  for (const char* based : {"0x1F", "0o17", "0b101"}) {
    EXPECT_EQ(toml_error(std::string("a = ") + based),
              "h.toml:1:5: hexadecimal, octal and binary numbers are not read here; write it in "
              "decimal")
        << based;
  }
  for (const char* when : {"2026-09-01", "10:00:00", "2026-09-01T10:00:00Z"}) {
    EXPECT_EQ(toml_error(std::string("a = ") + when),
              "h.toml:1:5: dates and times are not read here; write a number, or a date as a "
              "string in quotes")
        << when;
  }
  for (const char* malformed :
       {"01", "1__0", "1_", "1.", "1.e3", "1e", "1e+", "1.2.3", "--1", "1x", "-"}) {
    EXPECT_EQ(toml_error(std::string("a = ") + malformed),
              "h.toml:1:5: not a number: expected a decimal such as 10, 0.2 or 1e-3 (no leading "
              "zeros; `_` only between digits)")
        << malformed;
  }
}

TEST(SettingsToml, NeverEchoesAValueInAnError) {
  const std::string secret = "xoxb-123-secret";
  for (const std::string& text : {"a = \"" + secret + "\" trailing", "a = [\"" + secret + "\" 1]",
                                  "a = " + secret, "a = \"" + secret + "\\q\""}) {
    EXPECT_THAT(toml_error(text), ::testing::Not(HasSubstr("secret"))) << text;
  }
}

TEST(SettingsJson, ReadsTablesOfValuesInOrder) {
  const auto settings = parse_settings_json(
      R"({"health": {"min_runtime": 14, "srm_p": 0.0001, "fail_on": "critical", "big": 18446744073709551615,
          "neg": -2, "adaptive": ["a", "b"], "flag": true}, "notify": {}})",
      "h.json");
  ASSERT_TRUE(settings) << settings.error().describe();
  ASSERT_EQ(settings->size(), 7U);
  EXPECT_EQ((*settings)[0].table, "health");
  EXPECT_EQ((*settings)[0].key, "min_runtime");
  EXPECT_EQ((*settings)[0].where, "h.json:$.health.min_runtime");
  EXPECT_THAT((*settings)[0].value.items, ElementsAre("14"));
  EXPECT_EQ((*settings)[1].value.kind, Kind::number);
  EXPECT_THAT((*settings)[1].value.items, ElementsAre("1e-04")); // shortest exact form
  EXPECT_THAT((*settings)[2].value.items, ElementsAre("critical"));
  EXPECT_THAT((*settings)[3].value.items, ElementsAre("18446744073709551615"));
  EXPECT_THAT((*settings)[4].value.items, ElementsAre("-2"));
  EXPECT_EQ((*settings)[5].value.kind, Kind::strings);
  EXPECT_THAT((*settings)[5].value.items, ElementsAre("a", "b"));
  EXPECT_EQ((*settings)[6].value.kind, Kind::boolean);
  EXPECT_THAT((*settings)[6].value.items, ElementsAre("true"));
}

TEST(SettingsJson, RefusesEachShapeOutsideTablesOfValues) {
  EXPECT_THAT(json_error("{\"health\": "), HasSubstr("h.json: not valid JSON: "));
  EXPECT_EQ(json_error("[1]"), "h.json:$: expected an object, got an array");
  EXPECT_EQ(json_error(R"({"health": 3})"),
            "h.json:$.health: expected a table of settings (an object such as {\"min_runtime\": "
            "10})");
  EXPECT_EQ(json_error(R"({"health": {}, "health": {}})"),
            "h.json:$.health: the table appears twice; give each table once");
  EXPECT_EQ(json_error(R"({"health": {"a": 1, "a": 2}})"),
            "h.json:$.health.a: the key appears twice in the table; give each key once");
  const std::string no_value = ": expected a number, a string, true, false or an array of "
                               "strings (tables hold no tables, and null is no value: leave the "
                               "key out)";
  EXPECT_EQ(json_error(R"({"health": {"a": null}})"), "h.json:$.health.a" + no_value);
  EXPECT_EQ(json_error(R"({"health": {"a": {"b": 1}}})"), "h.json:$.health.a" + no_value);
  EXPECT_EQ(json_error(R"({"notify": {"targets": ["slack", 2]}})"),
            "h.json:$.notify.targets[1]: an array holds strings only here");
}

TEST(SettingsFile, ChoosesTheFormatByExtensionThenByContent) {
  const auto by_name = parse_settings_file("{\"health\": {}}", "x.TOML");
  ASSERT_FALSE(by_name);
  EXPECT_EQ(by_name.error().describe(), "x.TOML:1:1: expected a key (letters, digits, _ and -)");
  const auto json = parse_settings_file("[health]\n", "x.json");
  ASSERT_FALSE(json);
  EXPECT_THAT(json.error().describe(), HasSubstr("x.json: not valid JSON"));
  const auto guessed_json = parse_settings_file("  \n{\"health\": {\"a\": 1}}", "settings");
  ASSERT_TRUE(guessed_json) << guessed_json.error().describe();
  EXPECT_EQ(guessed_json->format, SettingsFormat::json);
  const auto guessed_toml = parse_settings_file("[health]\na = 1\n", "settings.conf");
  ASSERT_TRUE(guessed_toml) << guessed_toml.error().describe();
  EXPECT_EQ(guessed_toml->format, SettingsFormat::toml);
  EXPECT_EQ(guessed_toml->settings.size(), 1U);
  const auto bad_toml = parse_settings_file("[health\n", "settings.conf");
  ASSERT_FALSE(bad_toml);
  EXPECT_EQ(bad_toml.error().describe(),
            "settings.conf:1:8: expected ] to close the table name (read as TOML: the name ends in "
            "neither .toml nor .json, and the text does not start with {)");
  const auto bad_json = parse_settings_file("{\"health\": 1}", "settings");
  ASSERT_FALSE(bad_json);
  EXPECT_THAT(bad_json.error().describe(),
              HasSubstr("(read as JSON: the name ends in neither .toml nor .json, and the text "
                        "starts with {)"));
  EXPECT_EQ(settings_format_label(SettingsFormat::toml), "TOML");
  EXPECT_EQ(settings_format_label(SettingsFormat::json), "JSON");
}

} // namespace
} // namespace reckon::parse
