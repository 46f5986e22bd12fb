#pragma once

#include "reckon/util/result.hpp"
#include "reckon/util/time_zone.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace reckon::util {

// True when `bytes` start like a TZif file, so that other files under zoneinfo (zone.tab,
// tzdata.zi) read as unknown zones rather than as corrupt ones.
bool looks_like_tzif(std::string_view bytes);

// The zone described by a TZif file (RFC 8536, versions 1 to 4): its transitions and the
// footer's POSIX TZ rule. Corrupt files are io errors naming `file`.
Result<TimeZone> parse_tzif(std::string name, std::string_view bytes,
                            const std::filesystem::path& file);

} // namespace reckon::util
