#include "chart_specs.hpp"

#include <algorithm>
#include <tuple>

namespace reckon::report::charts {

namespace {

using util::JsonWriter;

constexpr std::string_view k_raw = "raw";
constexpr std::string_view k_shrunken = "shrunken (partially pooled)";
constexpr std::string_view k_uplift_title = "Uplift vs control (%)";

// The variation's overall uplift on `metric`, the forest's reference line.
std::optional<double> overall_uplift(const analysis::ExperimentSegments& segments,
                                     const std::string& metric, const std::string& variation) {
  for (const analysis::CellResult& cell : segments.overall) {
    if (cell.metric == metric && cell.variation_id == variation && cell.uplift) {
      return cell.uplift->value;
    }
  }
  return std::nullopt;
}

void write_row(JsonWriter& json, const analysis::SegmentRow& row, std::string_view estimate,
               const analysis::SegmentCall& call, const std::string& variation,
               std::optional<double> overall) {
  json.begin_object();
  json.key("segment").value(row.dimension + ": " + row.segment);
  json.key("variation").value(variation);
  json.key("estimate").value(estimate);
  json.key("uplift").value(call.evidence.uplift);
  json.key("low").value(call.evidence.uplift_low);
  json.key("high").value(call.evidence.uplift_high);
  json.key("p2bc").value(call.evidence.p2bc);
  json.key("verdict").value(analysis::segment_verdict_label(call.verdict));
  json.key("overall").value(overall);
  json.key("visitors").value(row.control_visitors + row.variant_visitors);
  json.end_object();
}

void write_rows(JsonWriter& json, const analysis::ExperimentSegments& segments,
                const std::string& metric) {
  json.key("data").begin_object().key("values").begin_array();
  for (const analysis::SegmentRow& row : segments.rows) {
    if (row.metric != metric) {
      continue;
    }
    const std::string name = detail::variation_name(segments.variations, row.variation_id);
    const std::optional<double> overall = overall_uplift(segments, metric, row.variation_id);
    write_row(json, row, k_raw, row.raw, name, overall);
    write_row(json, row, k_shrunken, row.pooled, name, overall);
  }
  json.end_array().end_object();
}

// The channels of the interval and point layers: the segment on y, the estimate as colour and
// offset. The rules leave y out so that they span the whole height.
void write_segment_channels(JsonWriter& json) {
  json.key("y").begin_object().key("field").value("segment").key("type").value("nominal");
  json.key("sort").null();
  detail::axis(json, "Segment (dimension: value)", "");
  json.end_object();
  json.key("yOffset").begin_object().key("field").value("estimate").key("type").value("nominal");
  json.end_object();
  json.key("color").begin_object().key("field").value("estimate").key("type").value("nominal");
  json.key("title").value("Estimate").end_object();
  json.key("tooltip").begin_array();
  for (const auto& [field, title, format] : {std::tuple{"segment", "Segment", ""},
                                             {"variation", "Variation", ""},
                                             {"estimate", "Estimate", ""},
                                             {"uplift", "Uplift", "+.1%"},
                                             {"low", "Interval low", "+.1%"},
                                             {"high", "Interval high", "+.1%"},
                                             {"p2bc", "P(beat control)", ".1%"},
                                             {"verdict", "Verdict", ""},
                                             {"visitors", "Visitors (both arms)", ","}}) {
    json.begin_object().key("field").value(field).key("title").value(title);
    if (std::string_view(format).empty()) {
      json.key("type").value("nominal");
    } else {
      json.key("type").value("quantitative").key("format").value(format);
    }
    json.end_object();
  }
  json.end_array();
}

void write_x(JsonWriter& json, std::string_view field, bool with_axis) {
  json.key("x").begin_object().key("field").value(field).key("type").value("quantitative");
  if (with_axis) {
    detail::axis(json, k_uplift_title, "+.0%");
  }
  json.end_object();
}

void write_layers(JsonWriter& json) {
  json.key("layer").begin_array();
  // The interval.
  json.begin_object().key("mark").value("rule").key("encoding").begin_object();
  write_segment_channels(json);
  write_x(json, "low", true);
  json.key("x2").begin_object().key("field").value("high").end_object();
  json.end_object().end_object();
  // The estimate, its shape the verdict.
  json.begin_object().key("mark").begin_object().key("type").value("point");
  json.key("filled").value(true).key("size").value(70).end_object();
  json.key("encoding").begin_object();
  write_segment_channels(json);
  write_x(json, "uplift", false);
  json.key("shape").begin_object().key("field").value("verdict").key("type").value("nominal");
  json.key("title").value("Verdict").key("scale").begin_object();
  json.key("domain").begin_array();
  for (const char* verdict : {"WINNER", "LOSER", "FLAT", "INCONCLUSIVE", "LOW DATA"}) {
    json.value(verdict);
  }
  json.end_array().key("range").begin_array();
  for (const char* shape : {"triangle-up", "triangle-down", "square", "circle", "cross"}) {
    json.value(shape);
  }
  json.end_array().end_object().end_object();
  json.end_object().end_object();
  // No change, and the variation's overall uplift.
  json.begin_object().key("mark").begin_object().key("type").value("rule");
  json.key("color").value("black").end_object();
  json.key("encoding").begin_object().key("x").begin_object().key("datum").value(0);
  json.end_object().end_object().end_object();
  json.begin_object().key("mark").begin_object().key("type").value("rule");
  json.key("color").value("gray").key("strokeDash").begin_array().value(4).value(4).end_array();
  json.end_object();
  json.key("encoding").begin_object();
  json.key("x").begin_object().key("field").value("overall").key("type").value("quantitative");
  json.key("aggregate").value("mean").end_object();
  json.key("tooltip").begin_object().key("field").value("overall").key("type").value(
      "quantitative");
  json.key("aggregate").value("mean").key("title").value("Overall uplift");
  json.key("format").value("+.1%").end_object();
  json.end_object().end_object();
  json.end_array();
}

} // namespace

std::string segment_forest(const analysis::ExperimentSegments& segments) {
  if (segments.metrics.empty()) {
    return {};
  }
  const std::string& metric = segments.metrics.front();
  const bool any =
      std::any_of(segments.rows.begin(), segments.rows.end(),
                  [&](const analysis::SegmentRow& row) { return row.metric == metric; });
  if (!any) {
    return {};
  }
  JsonWriter json;
  detail::begin_spec(json,
                     "Segment uplifts: " + (segments.name.empty() ? segments.id : segments.name),
                     metric + ": raw and partially pooled estimates with their intervals; dashed: "
                              "the overall uplift");
  write_rows(json, segments, metric);
  json.key("facet").begin_object().key("row").begin_object().key("field").value("variation");
  json.key("type").value("nominal").key("title").value("Variation").end_object().end_object();
  json.key("spec").begin_object();
  json.key("width").value(detail::k_width);
  write_layers(json);
  json.end_object();
  json.end_object();
  return json.finish();
}

} // namespace reckon::report::charts
