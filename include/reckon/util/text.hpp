#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace reckon::util {

// `text` with every control character (C0, DEL, and the C1 range U+0080..U+009F, which some
// terminals obey too) spelled as \xNN, so that text quoted from outside input (a CSV field, an
// API's error body, a stored response) can neither move the cursor, recolour nor forge lines
// on the terminal it is printed to. Other bytes, UTF-8 included, pass unchanged.
std::string printable(std::string_view text);

// The offset of the first byte of `text` that does not belong to well-formed UTF-8 (overlong
// forms, surrogates and code points past U+10FFFF included), or nullopt when all of it does.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// Columns a piece of UTF-8 text takes on a terminal: one per code point.
std::size_t display_width(std::string_view text);

// `text` broken at spaces into lines of at most `width` columns (a longer word stands alone),
// each ending in a newline; the first line starts with `indent`, the others with `hanging`.
// A number keeps its unit: "+26.9 %" is never broken before its "%".
std::string wrap_words(std::string_view text, std::string_view indent, std::string_view hanging,
                       std::size_t width);

// What stands in for a secret wherever one would otherwise show or be kept.
inline constexpr std::string_view k_redacted = "[redacted]";

// Replaces every occurrence of `secret` in `text` by k_redacted (an empty secret: nothing), so
// that a key echoed back by a server is neither printed nor stored.
void redact(std::string& text, std::string_view secret);

} // namespace reckon::util
