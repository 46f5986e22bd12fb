#include "reckon/notify/signature.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace reckon::notify {
namespace {

// RFC 4231 §4.2, §4.3 and §4.7: HMAC-SHA256 test cases 1, 2 and 6.
TEST(Signature, HmacMatchesTheRfc4231Vectors) {
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Signature, TheHeaderIsSha256EqualsTheHexDigest) {
  EXPECT_EQ(signature_header("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, ACheckFailsWhenOneByteOfTheBodyChanges) {
  const std::string body = R"({"schema":"reckon.alert/v1","id":"00ff","sent_at":"x"})";
  const std::string header = signature_header("s3cret", body);
  EXPECT_TRUE(signature_matches("s3cret", body, header));
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string changed = body;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(signature_matches("s3cret", changed, header)) << "byte " << i;
  }
  EXPECT_FALSE(signature_matches("s3creT", body, header));
  EXPECT_FALSE(signature_matches("s3cret", body, header.substr(0, header.size() - 1)));
  EXPECT_FALSE(signature_matches("s3cret", body, header.substr(7)));
}

TEST(Signature, IdsAre32HexDigitsAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = random_id();
    ASSERT_TRUE(id) << id.error().describe();
    ASSERT_EQ(id->size(), 32U);
    EXPECT_EQ(id->find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(*id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

} // namespace
} // namespace reckon::notify
