#include "reckon/util/number_format.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <locale>
#include <string>

namespace reckon::util {
namespace {

TEST(NumberFormat, RoundTripIsShortestAndExact) {
  EXPECT_EQ(format_round_trip(0.1), "0.1");
  EXPECT_EQ(format_round_trip(0.6107705226878395), "0.6107705226878395");
  const double tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(parse_finite_double(format_round_trip(tiny)), tiny);
  EXPECT_EQ(format_round_trip(-2.5e-300), "-2.5e-300");
}

// A decimal-comma global locale, as a German user's environment would install.
struct DecimalComma : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  std::string do_grouping() const override { return "\3"; }
};

TEST(NumberFormat, IgnoresTheGlobalLocale) {
  const std::locale previous =
      std::locale::global(std::locale(std::locale::classic(), new DecimalComma));
  EXPECT_EQ(format_round_trip(1234.5), "1234.5");
  EXPECT_EQ(format_fixed(1234.25, 1), "1234.2");
  EXPECT_EQ(parse_finite_double("1234.5"), 1234.5);
  std::locale::global(previous);
}

TEST(NumberFormat, FixedRoundsToNearestEven) {
  EXPECT_EQ(format_fixed(0.125, 2), "0.12");
  EXPECT_EQ(format_fixed(2.0 / 3.0, 4), "0.6667");
  EXPECT_EQ(format_fixed(-0.5, 0), "-0");
}

TEST(NumberFormat, ParseUnsignedAcceptsOnlyWholeDecimals) {
  EXPECT_EQ(parse_unsigned("0"), 0ULL);
  EXPECT_EQ(parse_unsigned("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_FALSE(parse_unsigned("18446744073709551616"));
  EXPECT_FALSE(parse_unsigned(""));
  EXPECT_FALSE(parse_unsigned("-1"));
  EXPECT_FALSE(parse_unsigned("1.0"));
  EXPECT_FALSE(parse_unsigned(" 1"));
  EXPECT_FALSE(parse_unsigned("1e3"));
}

TEST(NumberFormat, ParseFiniteDoubleRejectsJunkAndInfinity) {
  EXPECT_EQ(parse_finite_double("12.5"), 12.5);
  EXPECT_EQ(parse_finite_double("-3e2"), -300.0);
  EXPECT_FALSE(parse_finite_double("inf"));
  EXPECT_FALSE(parse_finite_double("nan"));
  EXPECT_FALSE(parse_finite_double("1e400"));
  EXPECT_FALSE(parse_finite_double("1.5x"));
  EXPECT_FALSE(parse_finite_double(""));
}

TEST(NumberFormat, CountsGroupDigitsInThrees) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(18446744073709551615ULL), "18,446,744,073,709,551,615");
}

TEST(NumberFormat, SignedPercentAlwaysCarriesItsSign) {
  EXPECT_EQ(format_signed_percent(0.0612), "+6.1 %");
  EXPECT_EQ(format_signed_percent(-0.2), "-20.0 %");
  EXPECT_EQ(format_signed_percent(0.0), "+0.0 %");
  EXPECT_EQ(format_signed_percent(0.12345, 2), "+12.35 %");
}

// What would round to a certainty is written as a bound; everything else with one decimal.
TEST(NumberFormat, ProbabilitiesNeverRoundToCertainty) {
  EXPECT_EQ(format_probability(0.99985), ">99.9 %");
  EXPECT_EQ(format_probability(1.0), ">99.9 %");
  EXPECT_EQ(format_probability(0.9995), ">99.9 %");
  EXPECT_EQ(format_probability(0.9994), "99.9 %");
  EXPECT_EQ(format_probability(0.5), "50.0 %");
  EXPECT_EQ(format_probability(0.934), "93.4 %");
  EXPECT_EQ(format_probability(0.0005), "0.1 %");
  EXPECT_EQ(format_probability(0.00049), "<0.1 %");
  EXPECT_EQ(format_probability(0.0), "<0.1 %");
}

TEST(NumberFormat, GroupedAmountsKeepTheirDecimalsAndSign) {
  EXPECT_EQ(format_grouped(0.0, 2), "0.00");
  EXPECT_EQ(format_grouped(999.994, 2), "999.99");
  EXPECT_EQ(format_grouped(999.996, 2), "1,000.00");
  EXPECT_EQ(format_grouped(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(format_grouped(-12345.6, 1), "-12,345.6");
  EXPECT_EQ(format_grouped(-0.001, 2), "0.00");
  EXPECT_EQ(format_grouped(123456.0, 0), "123,456");
}

} // namespace
} // namespace reckon::util
