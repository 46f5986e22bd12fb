#include "redaction.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace reckon::app {
namespace {

TEST(RedactingBuffer, ReplacesASecretWrittenWholeOrInPiecesAndPassesTheRest) {
  std::ostringstream sink;
  {
    RedactingBuffer buffer(sink);
    std::ostream err(&buffer);
    buffer.add_secret("abc123");
    err << "key abc123 and ab"
        << "c1" << '2' << "3 end; abc12 is not it\n";
    // A tail that could begin the secret waits; the rest is already out.
    err << "progress ab" << std::flush;
    EXPECT_EQ(sink.str(), "key [redacted] and [redacted] end; abc12 is not it\nprogress ");
    err << "x";
  }
  EXPECT_EQ(sink.str(), "key [redacted] and [redacted] end; abc12 is not it\nprogress abx");
}

TEST(RedactingBuffer, AnUnfinishedSecretPrefixIsShownAtTheEnd) {
  std::ostringstream sink;
  {
    RedactingBuffer buffer(sink);
    std::ostream err(&buffer);
    buffer.add_secret("short");
    buffer.add_secret("short-and-long");
    err << "short-and-long short-and shor";
  }
  EXPECT_EQ(sink.str(), "[redacted] [redacted]-and shor");
}

} // namespace
} // namespace reckon::app
