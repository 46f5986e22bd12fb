#include "reckon/notify/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cassert>

namespace reckon::notify {
namespace {

std::string hex(const unsigned char* bytes, std::size_t count) {
  constexpr std::string_view k_digits = "0123456789abcdef";
  std::string text;
  text.reserve(count * 2);
  for (std::size_t i = 0; i < count; ++i) {
    text += k_digits[bytes[i] >> 4U];
    text += k_digits[bytes[i] & 0x0fU];
  }
  return text;
}

constexpr std::string_view k_scheme = "sha256=";

} // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const unsigned char* done = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                                   reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                                   digest.data(), &length);
  // HMAC fails only when libcrypto cannot allocate its context.
  assert(done != nullptr && length == 32);
  (void)done;
  return hex(digest.data(), length);
}

std::string signature_header(std::string_view key, std::string_view body) {
  return std::string(k_scheme) + hmac_sha256_hex(key, body);
}

bool signature_matches(std::string_view key, std::string_view body, std::string_view header) {
  const std::string expected = signature_header(key, body);
  return header.size() == expected.size() &&
         CRYPTO_memcmp(header.data(), expected.data(), expected.size()) == 0;
}

util::Result<std::string> random_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return util::make_error(util::ErrorCode::io, "alert id",
                            "the system's random source gave no bytes (OpenSSL RAND_bytes)");
  }
  return hex(bytes.data(), bytes.size());
}

} // namespace reckon::notify
