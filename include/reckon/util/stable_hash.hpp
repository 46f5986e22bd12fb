#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace reckon::util {

// A 64-bit FNV-1a hash whose value is fixed by this definition, not by the standard library,
// so random streams keyed by it are the same on every build and every machine.
constexpr std::uint64_t stable_hash(std::string_view text,
                                    std::uint64_t state = 0xcbf29ce484222325ULL) {
  for (const char c : text) {
    state ^= static_cast<std::uint8_t>(c);
    state *= 0x100000001b3ULL;
  }
  return state;
}

// Hashes several parts with a separator between them, so ("ab","c") and ("a","bc") differ.
constexpr std::uint64_t stable_hash(std::initializer_list<std::string_view> parts) {
  std::uint64_t state = 0xcbf29ce484222325ULL;
  for (const std::string_view part : parts) {
    state = stable_hash(part, state);
    state = stable_hash(std::string_view("\x1f", 1), state);
  }
  return state;
}

} // namespace reckon::util
