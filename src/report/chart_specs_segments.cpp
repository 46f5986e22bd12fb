#include "chart_specs.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace reckon::report::charts {

namespace {

using util::JsonWriter;

constexpr std::string_view k_raw = "raw";
constexpr std::string_view k_shrunken = "shrunken (partially pooled)";
constexpr std::string_view k_uplift_title = "Uplift vs control (%)";
// Pixels per estimate (two per segment, raw and pooled): dozens of segments on a screen.
constexpr int k_segment_step = 12;

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

// "device type" for "device_type": the panel's title.
std::string dimension_title(const std::string& dimension) {
  std::string title = dimension;
  std::replace(title.begin(), title.end(), '_', ' ');
  return title;
}

// The rows drawn: the primary metric's, LOW DATA left out (their intervals span the page and
// say nothing), sorted by panel (variation, then dimension in the data's order) and, inside a
// panel, by raw uplift, highest first.
std::vector<const analysis::SegmentRow*> drawn_rows(const analysis::ExperimentSegments& segments,
                                                    const std::string& metric) {
  std::vector<const analysis::SegmentRow*> rows;
  std::vector<std::string> dimensions;
  for (const analysis::SegmentRow& row : segments.rows) {
    if (row.metric == metric && row.raw.verdict != analysis::SegmentVerdict::low_data) {
      rows.push_back(&row);
      if (std::find(dimensions.begin(), dimensions.end(), row.dimension) == dimensions.end()) {
        dimensions.push_back(row.dimension);
      }
    }
  }
  const auto index_of = [](const auto& list, const auto& key) {
    return std::find(list.begin(), list.end(), key) - list.begin();
  };
  std::vector<std::string> variations;
  for (const model::Variation& variation : segments.variations) {
    variations.push_back(variation.id);
  }
  const auto place = [&](const analysis::SegmentRow* row) {
    return std::tuple(index_of(variations, row->variation_id), row->variation_id,
                      index_of(dimensions, row->dimension),
                      -row->raw.evidence.uplift.value_or(-1.0));
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&place](const auto* a, const auto* b) { return place(a) < place(b); });
  return rows;
}

struct RowPlace {
  std::string panel; // "device type", or "Prices +5% · device type" with several variations
  std::uint64_t panel_order = 0;
  std::uint64_t rank = 0; // the segment's place in its panel, top first
};

void write_row(JsonWriter& json, const analysis::SegmentRow& row, const RowPlace& place,
               std::string_view estimate, const analysis::SegmentCall& call,
               const std::string& variation, std::optional<double> overall) {
  json.begin_object();
  json.key("panel").value(place.panel);
  json.key("panel_order").value(place.panel_order);
  json.key("rank").value(place.rank);
  json.key("segment").value(row.segment);
  json.key("dimension").value(dimension_title(row.dimension));
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

// The rows grouped into panels: one per dimension, or per variation and dimension when there
// are several variations, in the rows' order.
std::vector<std::pair<std::string, std::vector<const analysis::SegmentRow*>>>
panels_of(const analysis::ExperimentSegments& segments,
          const std::vector<const analysis::SegmentRow*>& rows) {
  const bool several_variations =
      std::any_of(rows.begin(), rows.end(), [&rows](const analysis::SegmentRow* row) {
        return row->variation_id != rows.front()->variation_id;
      });
  std::vector<std::pair<std::string, std::vector<const analysis::SegmentRow*>>> panels;
  for (const analysis::SegmentRow* row : rows) {
    const std::string name = detail::variation_name(segments.variations, row->variation_id);
    const std::string panel = several_variations ? name + " · " + dimension_title(row->dimension)
                                                 : dimension_title(row->dimension);
    if (panels.empty() || panels.back().first != panel) {
      panels.emplace_back(panel, std::vector<const analysis::SegmentRow*>{});
    }
    panels.back().second.push_back(row);
  }
  return panels;
}

void write_rows(JsonWriter& json, const analysis::ExperimentSegments& segments,
                const std::vector<const analysis::SegmentRow*>& rows, RowPlace place,
                const std::string& metric) {
  json.key("data").begin_object().key("values").begin_array();
  for (const analysis::SegmentRow* row : rows) {
    const std::string name = detail::variation_name(segments.variations, row->variation_id);
    const std::optional<double> overall = overall_uplift(segments, metric, row->variation_id);
    write_row(json, *row, place, k_raw, row->raw, name, overall);
    write_row(json, *row, place, k_shrunken, row->pooled, name, overall);
    ++place.rank;
  }
  json.end_array().end_object();
}

// The channels of the interval and point layers: the segment on y, the estimate as colour and
// offset. The rules leave y out so that they span the whole height.
void write_segment_channels(JsonWriter& json) {
  json.key("y").begin_object().key("field").value("segment").key("type").value("nominal");
  // Data order: the rows come ranked (sorting by a field would fork the data per layer).
  json.key("sort").null();
  json.key("title").null();
  json.end_object();
  json.key("yOffset").begin_object().key("field").value("estimate").key("type").value("nominal");
  json.end_object();
  json.key("color").begin_object().key("field").value("estimate").key("type").value("nominal");
  json.key("title").value("Estimate").end_object();
  json.key("tooltip").begin_array();
  for (const auto& [field, title, format] : {std::tuple{"dimension", "Dimension", ""},
                                             {"segment", "Segment", ""},
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

// The uplift axis: wide enough for every point, every pooled interval, 0 and the overall
// uplift, with a margin; a raw interval of a small segment reaching beyond is cut at the edge
// rather than squeezing every other segment into a corner (its bounds are in the tooltip).
struct UpliftDomain {
  double low = 0.0;
  double high = 0.0;
};

UpliftDomain uplift_domain(const analysis::ExperimentSegments& segments,
                           const std::vector<const analysis::SegmentRow*>& rows,
                           const std::string& metric) {
  UpliftDomain domain;
  const auto include = [&domain](std::optional<double> value) {
    if (value) {
      domain.low = std::min(domain.low, *value);
      domain.high = std::max(domain.high, *value);
    }
  };
  for (const analysis::SegmentRow* row : rows) {
    include(row->raw.evidence.uplift);
    include(row->pooled.evidence.uplift_low);
    include(row->pooled.evidence.uplift_high);
    include(overall_uplift(segments, metric, row->variation_id));
  }
  const double margin = 0.1 * (domain.high - domain.low);
  return {domain.low - margin, domain.high + margin};
}

void write_x(JsonWriter& json, std::string_view field, const UpliftDomain* domain) {
  json.key("x").begin_object().key("field").value(field).key("type").value("quantitative");
  if (domain != nullptr) {
    json.key("scale").begin_object().key("domain").begin_array().value(domain->low);
    json.value(domain->high).end_array().end_object();
    detail::axis(json, k_uplift_title, "+.0%");
  }
  json.end_object();
}

void write_layers(JsonWriter& json, const UpliftDomain& domain) {
  json.key("layer").begin_array();
  // The interval.
  json.begin_object().key("mark").begin_object().key("type").value("rule");
  json.key("clip").value(true).end_object();
  json.key("encoding").begin_object();
  write_segment_channels(json);
  write_x(json, "low", &domain);
  json.key("x2").begin_object().key("field").value("high").end_object();
  json.end_object().end_object();
  // The estimate, its shape the verdict.
  json.begin_object().key("mark").begin_object().key("type").value("point");
  json.key("filled").value(true).key("size").value(70).end_object();
  json.key("encoding").begin_object();
  write_segment_channels(json);
  write_x(json, "uplift", nullptr);
  json.key("shape").begin_object().key("field").value("verdict").key("type").value("nominal");
  json.key("title").value("Verdict").key("scale").begin_object();
  json.key("domain").begin_array();
  for (const char* verdict : {"WINNER", "LOSER", "FLAT", "INCONCLUSIVE"}) {
    json.value(verdict);
  }
  json.end_array().key("range").begin_array();
  for (const char* shape : {"triangle-up", "triangle-down", "square", "circle"}) {
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
  json.end_object(); // one rule per row, all at the same x: no aggregate forks the data
  json.key("tooltip").begin_object().key("field").value("overall").key("type").value(
      "quantitative");
  json.key("title").value("Overall uplift");
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
  const std::vector<const analysis::SegmentRow*> rows = drawn_rows(segments, metric);
  if (rows.empty()) {
    return {};
  }
  const auto all = static_cast<std::size_t>(
      std::count_if(segments.rows.begin(), segments.rows.end(),
                    [&](const analysis::SegmentRow& row) { return row.metric == metric; }));
  const std::size_t low_data = all - rows.size();
  JsonWriter json;
  detail::begin_spec(
      json, "Segment uplifts: " + (segments.name.empty() ? segments.id : segments.name),
      metric + " by dimension, highest raw uplift first; raw and pooled, ▲ winner, ▼ loser; " +
          "dashed: overall" +
          (low_data == 0 ? std::string()
                         : "; " + std::to_string(low_data) + " LOW DATA segment" +
                               (low_data == 1 ? "" : "s") + " left out"));
  // A panel per dimension (and variation), each with its own rows, so each lists only its own
  // segments (independent y); the uplift axis is shared so that panels compare.
  const UpliftDomain domain = uplift_domain(segments, rows, metric);
  json.key("vconcat").begin_array();
  RowPlace place;
  for (const auto& [panel, panel_rows] : panels_of(segments, rows)) {
    place.panel = panel;
    json.begin_object();
    json.key("title").begin_object().key("text").value(panel).key("anchor").value("start");
    json.key("fontSize").value(12).end_object();
    write_rows(json, segments, panel_rows, place, metric);
    json.key("width").value(detail::k_width - 160); // the segment labels take the rest
    json.key("height").begin_object().key("step").value(k_segment_step).end_object();
    write_layers(json, domain);
    json.end_object();
    ++place.panel_order;
  }
  json.end_array();
  json.key("resolve").begin_object().key("scale").begin_object().key("y").value("independent");
  json.key("x").value("shared").end_object().end_object();
  json.end_object();
  return json.finish();
}

} // namespace reckon::report::charts
