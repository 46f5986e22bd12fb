#pragma once

#include "reckon/util/result.hpp"

#include <string>
#include <string_view>

namespace reckon::notify {

// HMAC-SHA256 of `body` under `key`, as 64 lowercase hex digits (OpenSSL's libcrypto).
std::string hmac_sha256_hex(std::string_view key, std::string_view body);

// The X-Reckon-Signature header's value: "sha256=" followed by hmac_sha256_hex.
std::string signature_header(std::string_view key, std::string_view body);

// Whether `header` is the signature of `body` under `key`, compared in constant time, as a
// receiver must check it (so a forger learns nothing from how long a refusal takes).
bool signature_matches(std::string_view key, std::string_view body, std::string_view header);

// 128 bits from the operating system's random source (OpenSSL's RAND_bytes), as 32 hex digits:
// an alert's id, unique so that a receiver can refuse a replay.
util::Result<std::string> random_id();

} // namespace reckon::notify
