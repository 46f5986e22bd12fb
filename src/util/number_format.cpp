#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cmath>

namespace reckon::util {

std::string format_round_trip(double value) {
  assert(std::isfinite(value));
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  assert(ec == std::errc{});
  return std::string(buffer.data(), end);
}

std::string format_fixed(double value, int decimals) {
  assert(std::isfinite(value));
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::fixed, decimals);
  if (ec != std::errc{}) {
    return format_round_trip(value);
  }
  return std::string(buffer.data(), end);
}

std::string format_count(std::uint64_t count) {
  const std::string digits = std::to_string(count);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      text.push_back(',');
    }
    text.push_back(digits[i]);
  }
  return text;
}

// Built by appending, never by operator+ on temporaries, which GCC 12 misreads at -O3 (a false
// -Wrestrict, GCC bug 105651).
std::string format_signed_percent(double fraction, int decimals) {
  std::string text = fraction >= 0.0 ? "+" : "";
  text.append(format_fixed(fraction * 100.0, decimals));
  text.append(" %");
  return text;
}

std::string format_probability(double probability) {
  // Whatever would round to 100.0 or 0.0 is said as a bound: Monte Carlo rarely proves either.
  if (probability >= 0.9995) {
    return ">99.9 %";
  }
  if (probability < 0.0005) {
    return "<0.1 %";
  }
  std::string text = format_fixed(probability * 100.0, 1);
  text.append(" %");
  return text;
}

std::string format_grouped(double value, int decimals) {
  const std::string fixed = format_fixed(std::fabs(value), decimals);
  const std::size_t point = std::min(fixed.find('.'), fixed.size());
  std::string text = value < 0.0 && fixed.find_first_not_of("0.") != std::string::npos ? "-" : "";
  for (std::size_t i = 0; i < point; ++i) {
    if (i > 0 && (point - i) % 3 == 0) {
      text.push_back(',');
    }
    text.push_back(fixed[i]);
  }
  text.append(fixed, point, std::string::npos);
  return text;
}

int written_decimals(double value, int max_decimals) {
  double scaled = value;
  for (int decimals = 0; decimals < max_decimals; ++decimals) {
    if (std::abs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, std::abs(scaled))) {
      return decimals;
    }
    scaled *= 10.0;
  }
  return max_decimals;
}

std::optional<unsigned long long> parse_unsigned(const std::string& text) {
  unsigned long long value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (text.empty() || ec != std::errc{} || end != last) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> parse_finite_double(const std::string& text) {
  double value = 0.0;
  const char* first = text.data();
  const char* last = first + text.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (text.empty() || ec != std::errc{} || end != last || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

} // namespace reckon::util
