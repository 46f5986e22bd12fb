#include "markdown_text.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/util/number_format.hpp"

#include <cctype>

namespace reckon::report::markdown {
namespace {

constexpr const char* k_missing = "-";

} // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      out.push_back(' ');
      continue;
    }
    if (std::string_view("\\|*_`[]<>#~").find(c) != std::string_view::npos) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string anchor(std::string_view heading) {
  std::string out;
  for (const char c : heading) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || byte >= 0x80) {
      out.push_back(static_cast<char>(std::tolower(byte)));
    } else if (c == ' ') {
      out.push_back('-');
    }
  }
  return out;
}

std::string probability(std::optional<double> p) {
  if (!p) {
    return k_missing;
  }
  if (*p > 0.999) {
    return ">99.9 %";
  }
  if (*p < 0.001) {
    return "<0.1 %";
  }
  // Whole percents read best; near the ends a tenth tells 99.5 % from 99.0 %.
  const int decimals = *p >= 0.99 || *p < 0.01 ? 1 : 0;
  return util::format_fixed(*p * 100.0, decimals) + " %";
}

std::string signed_percent(std::optional<double> fraction) {
  if (!fraction) {
    return k_missing;
  }
  const std::string digits = util::format_fixed(*fraction * 100.0, 1);
  if (digits == "0.0" || digits == "-0.0") {
    return "0.0 %";
  }
  return (digits.front() == '-' ? "" : "+") + digits + " %";
}

std::string percent_interval(std::optional<double> low, std::optional<double> high) {
  if (!low || !high) {
    return k_missing;
  }
  return "[" + signed_percent(low) + ", " + signed_percent(high) + "]";
}

std::string loss(std::optional<double> fraction) {
  return fraction ? util::format_fixed(*fraction * 100.0, 1) + " %" : k_missing;
}

std::string p_value(double p) {
  return p < 0.00005 ? "p < 0.0001" : "p = " + util::format_fixed(p, 4);
}

std::string ValueFormat::operator()(std::optional<double> value) const {
  if (!value) {
    return k_missing;
  }
  if (is_rate) {
    return util::format_fixed(*value * 100.0, 2) + " %";
  }
  const std::string digits = util::format_fixed(*value, 2);
  if (digits.front() == '-') {
    return "-" + currency + digits.substr(1);
  }
  return currency + digits;
}

ValueFormat value_format(std::string_view metric, const std::string& currency) {
  const std::optional<analysis::MetricDefinition> definition = analysis::find_metric(metric);
  if (!definition) {
    return {};
  }
  const bool money = definition->amount == analysis::Amount::revenue ||
                     definition->amount == analysis::Amount::profit;
  return {definition->kind == analysis::MetricKind::rate_over_visitors, money ? currency : ""};
}

std::string metric_words(std::string_view metric) {
  if (metric == "net_revenue_per_visitor") {
    return "revenue per visitor";
  }
  std::string words(metric);
  for (char& c : words) {
    c = c == '_' ? ' ' : c;
  }
  return words;
}

std::string row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& cell : cells) {
    out += " " + cell + " |";
  }
  return out + "\n";
}

std::string header(const std::vector<std::string>& names) {
  std::vector<std::string> titles;
  std::string rule = "|";
  for (const std::string& name : names) {
    const bool right = !name.empty() && name.front() == '>';
    titles.push_back(right ? name.substr(1) : name);
    rule += right ? "---:|" : "---|";
  }
  return row(titles) + rule + "\n";
}

std::string Footnotes::mark(const std::string& text) {
  auto [at, added] = m_numbers.try_emplace(text, m_texts.size() + 1);
  if (added) {
    m_texts.push_back(text);
  }
  return "[^" + m_prefix + std::to_string(at->second) + "]";
}

std::string Footnotes::definitions() const {
  std::string out;
  for (std::size_t i = 0; i < m_texts.size(); ++i) {
    out += "[^" + m_prefix + std::to_string(i + 1) + "]: " + escape(m_texts[i]) + "\n";
  }
  return out;
}

} // namespace reckon::report::markdown
