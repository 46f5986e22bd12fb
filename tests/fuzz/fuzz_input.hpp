#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace reckon::fuzz {

// libFuzzer hands bytes; every parser of outside input reads text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

} // namespace reckon::fuzz

// The entry point libFuzzer calls once per input; each target defines it.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
