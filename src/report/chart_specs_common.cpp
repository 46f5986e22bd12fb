#include "chart_specs.hpp"

#include <algorithm>

namespace reckon::report::charts::detail {

void begin_spec(util::JsonWriter& json, std::string_view title, std::string_view subtitle) {
  json.begin_object();
  json.key("$schema").value("https://vega.github.io/schema/vega-lite/v5.json");
  json.key("title").begin_object().key("text").value(title);
  if (!subtitle.empty()) {
    json.key("subtitle").value(subtitle);
  }
  json.end_object();
}

std::string variation_name(const std::vector<model::Variation>& variations, std::string_view id) {
  const auto found = std::find_if(variations.begin(), variations.end(),
                                  [&](const model::Variation& v) { return v.id == id; });
  return found == variations.end() || found->name.empty() ? std::string(id) : found->name;
}

void axis(util::JsonWriter& json, std::string_view title, std::string_view format) {
  json.key("axis").begin_object().key("title").value(title);
  if (!format.empty()) {
    json.key("format").value(format);
  }
  json.end_object();
}

} // namespace reckon::report::charts::detail
