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

// The day axis: dates are the store's days, written and shown as UTC so no browser zone moves
// them.
void day_x(util::JsonWriter& json, std::string_view field, bool with_axis) {
  json.key("x").begin_object().key("field").value(field).key("type").value("temporal");
  json.key("scale").begin_object().key("type").value("utc").end_object();
  if (with_axis) {
    // A tick per day at most: the default ticks fall at noon too, labelling each day twice.
    json.key("axis").begin_object().key("title").value("Day (store's date)");
    json.key("format").value("%b %d").key("tickCount").begin_object();
    json.key("interval").value("day").key("step").value(1).end_object().end_object();
  } else {
    json.key("title").null();
  }
  json.end_object();
}

} // namespace reckon::report::charts::detail
