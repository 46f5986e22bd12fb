#include "reckon/util/result.hpp"
#include "reckon/util/stable_hash.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace reckon::util {
namespace {

TEST(Result, HoldsAValueOrAnError) {
  Result<int> good = 7;
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 7);
  Result<int> bad = make_error(ErrorCode::bad_input, "a.csv:3:2", "variation: empty");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().describe(), "a.csv:3:2: variation: empty");
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> held = std::make_unique<int>(3);
  std::unique_ptr<int> taken = std::move(held).value();
  EXPECT_EQ(*taken, 3);
}

TEST(Result, VoidResultCarriesOnlyFailure) {
  const Result<void> ok;
  EXPECT_TRUE(ok);
  const Result<void> failed = make_error(ErrorCode::io, "", "disk full");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().describe(), "disk full");
}

TEST(StableHash, IsFixedByDefinitionAndSeparatesParts) {
  // FNV-1a reference values: empty string and "a".
  EXPECT_EQ(stable_hash(std::string_view("")), 0xcbf29ce484222325ULL);
  EXPECT_EQ(stable_hash(std::string_view("a")), 0xaf63dc4c8601ec8cULL);
  EXPECT_NE(stable_hash({"ab", "c"}), stable_hash({"a", "bc"}));
}

} // namespace
} // namespace reckon::util
