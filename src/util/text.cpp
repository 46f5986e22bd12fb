#include "reckon/util/text.hpp"

#include <algorithm>
#include <array>

namespace reckon::util {
namespace {

void append_escaped(std::string& out, unsigned char byte) {
  static constexpr std::array<char, 16> k_hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                              '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out += "\\x";
  out += k_hex[byte >> 4U];
  out += k_hex[byte & 0xfU];
}

// The length of the well-formed UTF-8 sequence at the start of `text`, 0 when there is none
// (Unicode's table 3-7 of well-formed byte sequences).
std::size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    low = lead == 0xe0 ? 0xa0 : 0x80;
    high = lead == 0xed ? 0x9f : 0xbf;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    low = lead == 0xf0 ? 0x90 : 0x80;
    high = lead == 0xf4 ? 0x8f : 0xbf;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) {
      return 0;
    }
  }
  return length;
}

} // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool c1 = byte == 0xc2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if (byte < 0x20 || byte == 0x7f) {
      append_escaped(out, byte);
    } else if (c1) {
      append_escaped(out, byte);
      append_escaped(out, static_cast<unsigned char>(text[++i]));
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text.substr(i));
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

void redact(std::string& text, std::string_view secret) {
  if (secret.empty()) {
    return;
  }
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + k_redacted.size())) {
    text.replace(at, secret.size(), k_redacted);
  }
}

std::size_t display_width(std::string_view text) {
  // Continuation bytes (10xxxxxx) belong to the code point before them.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string wrap_words(std::string_view text, std::string_view indent, std::string_view hanging,
                       std::size_t width) {
  std::string out;
  std::string line(indent);
  bool line_has_word = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find(' ', start), text.size());
    while (end < text.size() && text.substr(end + 1, 1) == "%") {
      end = std::min(text.find(' ', end + 1), text.size());
    }
    const std::string_view word = text.substr(start, end - start);
    if (line_has_word && display_width(line) + 1 + display_width(word) > width) {
      out += line + '\n';
      line = hanging;
      line_has_word = false;
    }
    line += line_has_word ? " " : "";
    line += word;
    line_has_word = true;
    start = end + 1;
  }
  return out + line + '\n';
}

} // namespace reckon::util
