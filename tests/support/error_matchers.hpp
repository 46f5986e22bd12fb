#pragma once

#include <gmock/gmock.h>

namespace reckon::test {

// Matches a util::Result holding an error of `code` whose message matches `message`: a string
// for the exact text, or any matcher (HasSubstr, StartsWith, ...). On a mismatch it prints the
// whole error, so a failure says what the code really reported.
MATCHER_P2(IsError, code, message, "") {
  if (arg) {
    *result_listener << "holds a value, not an error";
    return false;
  }
  const auto& error = arg.error();
  *result_listener << "the error is \"" << error.describe() << "\"";
  return error.code == code && ::testing::Matches(message)(error.message);
}

} // namespace reckon::test

// EXPECT_ERROR(result, util::ErrorCode::bad_input, HasSubstr("no data rows")): the one way
// tests state which error a call must give.
#define EXPECT_ERROR(result, code, message)                                                        \
  EXPECT_THAT((result), ::reckon::test::IsError((code), (message)))
