#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace reckon::util {

// The shortest decimal text that reads back as the same double, independent of the locale.
// Requires a finite value: NaN and infinities are never written as numbers.
std::string format_round_trip(double value);

// Fixed-point text with `decimals` digits after the point, independent of the locale.
std::string format_fixed(double value, int decimals);

// A count for people, in groups of three digits: 1234567 -> "1,234,567".
std::string format_count(std::uint64_t count);

// A fraction as a signed percentage for people: 0.0612 -> "+6.1 %", -0.2 -> "-20.0 %".
std::string format_signed_percent(double fraction, int decimals = 1);

// A probability as a percentage with one decimal, never rounded to a certainty it is not:
// 0.934 -> "93.4 %", 0.99985 -> ">99.9 %", 0.0001 -> "<0.1 %".
std::string format_probability(double probability);

// A fixed-point amount with its whole part grouped by three: 12345.678 -> "12,345.68".
std::string format_grouped(double value, int decimals);

// The fewest decimals (at most `max_decimals`) a finite value was written with: 2.8 -> 1,
// 3 -> 0, 2.35 -> 2; a value read from JSON is the nearest double to its text, so the test is
// whether scaling by 10^d lands within a few ulps of a whole number.
int written_decimals(double value, int max_decimals = 6);

// Parses a whole decimal string (no sign, no spaces) into an unsigned integer.
std::optional<unsigned long long> parse_unsigned(const std::string& text);

// Parses a whole decimal floating-point string (no spaces, finite only).
std::optional<double> parse_finite_double(const std::string& text);

} // namespace reckon::util
