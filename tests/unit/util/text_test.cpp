#include "reckon/util/text.hpp"

#include <gtest/gtest.h>

namespace reckon::util {
namespace {

TEST(Printable, EscapesControlCharactersAndKeepsUtf8) {
  EXPECT_EQ(printable("plain ascii, \"quoted\""), "plain ascii, \"quoted\"");
  EXPECT_EQ(printable("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(printable("a\nb\rc\td\x7f"), "a\\x0ab\\x0dc\\x09d\\x7f");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
  EXPECT_EQ(printable("csi \xc2\x9b"
                      "2J"),
            "csi \\xc2\\x9b2J");                // U+009B, the C1 CSI
  EXPECT_EQ(printable("\xc2\xa0"), "\xc2\xa0"); // U+00A0 is no control
}

TEST(FirstInvalidUtf8, FindsTheFirstByteOutsideWellFormedUtf8) {
  EXPECT_EQ(first_invalid_utf8("ascii"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2U);
  EXPECT_EQ(first_invalid_utf8("ab\xc3"), 2U);           // truncated
  EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), 0U);         // overlong '/'
  EXPECT_EQ(first_invalid_utf8("x\xe0\x80\xaf"), 1U);    // overlong
  EXPECT_EQ(first_invalid_utf8("\xed\xa0\x80"), 0U);     // a surrogate
  EXPECT_EQ(first_invalid_utf8("\xf4\x90\x80\x80"), 0U); // past U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ok\xc3\xa9\x80"), 4U);   // a stray continuation byte
}

TEST(Redact, ReplacesEveryOccurrenceOfTheSecret) {
  std::string text = R"({"token":"sk-1","note":"sk-1sk-1 and sk-"})";
  redact(text, "sk-1");
  EXPECT_EQ(text, R"({"token":"[redacted]","note":"[redacted][redacted] and sk-"})");
  std::string unchanged = "no secret here";
  redact(unchanged, "");
  EXPECT_EQ(unchanged, "no secret here");
  // A secret that occurs inside its replacement is not replaced again, and so ends.
  std::string nested = "redacted";
  redact(nested, "redacted");
  EXPECT_EQ(nested, "[redacted]");
}

TEST(WrapWords, BreaksAtSpacesWithinTheWidthCountingCodePoints) {
  // "é" is two bytes and one column: the first line is exactly 10 columns.
  EXPECT_EQ(wrap_words("ééé bbbb ccc dd", "", "  ", 10), "ééé bbbb\n  ccc dd\n");
  EXPECT_EQ(wrap_words("aaaa bbbb", "> ", "  ", 9), "> aaaa\n  bbbb\n");
  // A word longer than the width stands alone rather than being cut.
  EXPECT_EQ(wrap_words("abcdefghijkl xy", "", "", 5), "abcdefghijkl\nxy\n");
  // A line's own leading spaces are kept.
  EXPECT_EQ(wrap_words("    x y", "", "      ", 80), "    x y\n");
}

TEST(WrapWords, NeverSeparatesANumberFromItsPercentSign) {
  EXPECT_EQ(wrap_words("uplift +26.9 % here", "", "", 13), "uplift\n+26.9 % here\n");
}

} // namespace
} // namespace reckon::util
