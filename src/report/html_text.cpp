#include "html_text.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/util/number_format.hpp"

namespace reckon::report::html {
namespace {

bool is_rate(std::string_view metric) {
  const std::optional<analysis::MetricDefinition> definition = analysis::find_metric(metric);
  return definition && definition->kind == analysis::MetricKind::rate_over_visitors;
}

} // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string script_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string probability(std::optional<double> p) {
  return p ? util::format_probability(*p) : std::string(k_missing);
}

std::string_view chance_class(std::optional<double> p) {
  if (!p) {
    return {};
  }
  if (*p >= 0.95) {
    return "win";
  }
  return *p <= 0.05 ? "lose" : "";
}

std::string metric_value(std::string_view metric, std::optional<double> value) {
  if (!value) {
    return std::string(k_missing);
  }
  if (is_rate(metric)) {
    std::string text = util::format_fixed(*value * 100.0, 2);
    text += " %";
    return text;
  }
  return util::format_fixed(*value, 2);
}

std::string metric_interval(std::string_view metric, std::optional<double> low,
                            std::optional<double> high) {
  if (!low || !high) {
    return std::string(k_missing);
  }
  std::string text = "[";
  text += metric_value(metric, low);
  text += ", ";
  text += metric_value(metric, high);
  text += "]";
  return text;
}

std::string uplift(std::optional<double> fraction) {
  return fraction ? util::format_signed_percent(*fraction) : std::string(k_missing);
}

std::string uplift_interval(std::optional<double> low, std::optional<double> high) {
  if (!low || !high) {
    return std::string(k_missing);
  }
  std::string text = "[";
  text += util::format_signed_percent(*low);
  text += ", ";
  text += util::format_signed_percent(*high);
  text += "]";
  return text;
}

std::string element(std::string_view tag, std::string_view css, std::string_view text) {
  std::string out = "<";
  out += tag;
  if (!css.empty()) {
    out += " class=\"";
    out += css;
    out += "\"";
  }
  out += ">";
  out += escape(text);
  out += "</";
  out += tag;
  out += ">";
  return out;
}

} // namespace reckon::report::html
