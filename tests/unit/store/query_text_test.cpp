#include "query_text.hpp"

#include <gtest/gtest.h>

namespace reckon::store {
namespace {

TEST(QueryText, EncodesPairsInOrderReadably) {
  EXPECT_EQ(encode_query({}), "");
  EXPECT_EQ(encode_query({{"page", "2"}, {"limit", "5"}}), "page=2&limit=5");
  EXPECT_EQ(encode_query({{"a b", "x&y=z%"}}), "a%20b=x%26y%3Dz%25");
  EXPECT_EQ(encode_query({{"", ""}}), "=");
}

TEST(QueryText, DecodesWhatItEncodes) {
  const QueryPairs odd{{"", ""}, {"q", std::string("\0\xff", 2)}, {"q", "again"}, {"ü", "~._-"}};
  EXPECT_EQ(decode_query(encode_query(odd)), odd);
  EXPECT_EQ(decode_query(""), QueryPairs{});
  for (const std::string_view bad : {"a", "a=1&", "a=%2", "a=%zz", "a=b c", "a=%2f"}) {
    EXPECT_FALSE(decode_query(bad)) << bad;
  }
}

} // namespace
} // namespace reckon::store
