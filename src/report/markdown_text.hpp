#pragma once

#include "reckon/analysis/results.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::report::markdown {

// Text that renders as itself in GitHub-flavoured Markdown, in a table cell too: the
// characters Markdown gives a meaning (`\ | * _ ` [ ] < > #` and `~`) are backslash-escaped and
// line breaks become spaces.
std::string escape(std::string_view text);

// The anchor GitHub gives a heading: lower case, spaces as hyphens, punctuation dropped.
std::string anchor(std::string_view heading);

// A probability for people: "93 %", "99.2 %", ">99.9 %", "<0.1 %"; "-" when absent.
std::string probability(std::optional<double> p);

// A signed percentage, "+6.1 %", and an interval of them, "[+2.0 %, +10.3 %]"; "-" when absent.
std::string signed_percent(std::optional<double> fraction);
std::string percent_interval(std::optional<double> low, std::optional<double> high);

// An expected loss, a share of the control's value: "0.4 %"; "-" when absent.
std::string loss(std::optional<double> fraction);

// "p = 0.5974", or "p < 0.0001" where four decimals would read 0.
std::string p_value(double p);

// A metric's value as people read it: a rate as a percentage ("3.56 %"), an amount with the
// currency symbol when known ("$2.29"), anything else with two decimals.
struct ValueFormat {
  bool is_rate = false;
  std::string currency; // "" when unknown or not money
  std::string operator()(std::optional<double> value) const;
};
ValueFormat value_format(std::string_view metric, const std::string& currency);

// "revenue per visitor" for net_revenue_per_visitor; the metric's name with spaces otherwise.
std::string metric_words(std::string_view metric);

// A table row: "| a | b |".
std::string row(const std::vector<std::string>& cells);
// The header and its rule; a column named with a leading '>' is right-aligned.
std::string header(const std::vector<std::string>& names);

// Numbered footnotes of one test: the same text gets the same number, so an assumption shared
// by many numbers is written once. Labels carry the test's index to stay unique in the file.
class Footnotes {
public:
  explicit Footnotes(std::size_t test_index) : m_prefix(std::to_string(test_index + 1) + "-") {}
  // "[^1-2]" for this text.
  std::string mark(const std::string& text);
  // "[^1-1]: text" lines, in the order of first use.
  std::string definitions() const;

private:
  std::string m_prefix;
  std::map<std::string, std::size_t, std::less<>> m_numbers;
  std::vector<std::string> m_texts;
};

} // namespace reckon::report::markdown
