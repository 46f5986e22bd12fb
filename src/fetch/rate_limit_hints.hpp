#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace reckon::fetch {

// `x-ratelimit-reset` from one raw header line. Intelligems' field reports milliseconds until
// the bucket refills (30000); its documentation says an epoch in milliseconds; the
// experimentation platform documents an epoch in seconds. A value too large to be a wait is
// read as an epoch (ten digits, from 1e9: seconds; from 1e11: milliseconds) and turned into a
// wait from now.
std::optional<std::chrono::milliseconds> reset_from_header(std::string_view line);

// `x-ratelimit-remaining` from one raw header line: the requests left in the window.
std::optional<std::uint64_t> remaining_from_header(std::string_view line);

// `Retry-After` in seconds from one raw header line (RFC 9110); the HTTP-date form is not read.
std::optional<std::chrono::milliseconds> retry_after_from_header(std::string_view line);

// `retryAfter` (seconds, possibly fractional) from a 429 body such as {"retryAfter": 30}.
// The body is flat and tiny, so a scan for the one key is enough; anything else is no hint.
std::optional<std::chrono::milliseconds> retry_after_from_body(std::string_view body);

} // namespace reckon::fetch
