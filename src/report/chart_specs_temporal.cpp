#include "chart_specs.hpp"

#include "reckon/util/calendar.hpp"

#include <algorithm>
#include <tuple>

namespace reckon::report::charts {

namespace {

using util::JsonWriter;

// The timelines the charts draw: each variation's on the timeline's own (primary) metric.
std::vector<const analysis::VariationTimeline*>
drawn(const analysis::ExperimentTimeline& timeline) {
  std::vector<const analysis::VariationTimeline*> chosen;
  for (const analysis::VariationTimeline& variation : timeline.timelines) {
    if (variation.metric == timeline.metric) {
      chosen.push_back(&variation);
    }
  }
  return chosen;
}

std::string experiment_title(std::string_view what, const analysis::ExperimentTimeline& timeline) {
  return std::string(what) + ": " + (timeline.name.empty() ? timeline.id : timeline.name);
}

// A field of `channel`; a quantitative one gets its axis titled and formatted.
void write_field(JsonWriter& json, std::string_view channel, std::string_view field,
                 std::string_view title, std::string_view axis_format) {
  json.key(channel).begin_object().key("field").value(field);
  if (axis_format.empty()) {
    json.key("type").value("nominal").key("title").value(title);
  } else {
    json.key("type").value("quantitative");
    detail::axis(json, title, axis_format);
  }
  json.end_object();
}

// A nominal field of a tooltip.
void write_tip(JsonWriter& json, std::string_view field, std::string_view title) {
  json.begin_object().key("field").value(field).key("type").value("nominal");
  json.key("title").value(title).end_object();
}

// A rule across the plot at y = `value`, with its own one-row data.
void write_y_rule(JsonWriter& json, double value, std::string_view label, bool dashed) {
  json.begin_object();
  json.key("data").begin_object().key("values").begin_array();
  json.begin_object().key("y").value(value).key("label").value(label).end_object();
  json.end_array().end_object();
  json.key("mark").begin_object().key("type").value("rule").key("color").value("black");
  if (dashed) {
    json.key("strokeDash").begin_array().value(4).value(4).end_array();
  }
  json.end_object();
  json.key("encoding").begin_object();
  json.key("y").begin_object().key("field").value("y").key("type").value("quantitative");
  json.end_object();
  json.key("tooltip").begin_array();
  write_tip(json, "label", "Rule");
  json.end_array();
  json.end_object();
  json.end_object();
}

// Each Saturday and Sunday as a band from noon of the day before to noon of the day after, so
// the day's point (drawn at its midnight) sits in the middle of its shading.
void write_weekend_layer(JsonWriter& json, const analysis::ExperimentTimeline& timeline) {
  json.begin_object();
  json.key("data").begin_object().key("values").begin_array();
  for (const analysis::TemporalDay& day : timeline.days) {
    const std::optional<util::Date> date = util::Date::parse(day.date);
    if (!day.weekend || !date) {
      continue;
    }
    json.begin_object().key("date").value(day.date).key("weekday").value(day.weekday);
    json.key("start").value(date->plus_days(-1).to_string() + "T12:00:00Z");
    json.key("end").value(day.date + "T12:00:00Z");
    json.end_object();
  }
  json.end_array().end_object();
  json.key("mark").begin_object().key("type").value("rect").key("color").value("#e8e8e8");
  json.end_object();
  json.key("encoding").begin_object();
  detail::day_x(json, "start", false);
  json.key("x2").begin_object().key("field").value("end").end_object();
  json.key("tooltip").begin_array();
  write_tip(json, "weekday", "Weekend");
  write_tip(json, "date", "Date");
  json.end_array();
  json.end_object();
  json.end_object();
}

void write_daily_rows(JsonWriter& json, const analysis::ExperimentTimeline& timeline,
                      const std::vector<const analysis::VariationTimeline*>& variations) {
  json.key("data").begin_object().key("values").begin_array();
  for (const analysis::VariationTimeline* variation : variations) {
    const std::string name = detail::variation_name(timeline.variations, variation->variation_id);
    for (std::size_t d = 0; d < variation->days.size() && d < timeline.days.size(); ++d) {
      const analysis::CellResult& cell = variation->days[d];
      if (!cell.uplift || !cell.uplift->value) {
        continue;
      }
      json.begin_object().key("date").value(timeline.days[d].date);
      json.key("weekday").value(timeline.days[d].weekday).key("variation").value(name);
      json.key("uplift").value(cell.uplift->value);
      json.key("low").value(cell.uplift->ci_low).key("high").value(cell.uplift->ci_high);
      json.key("p2bc").value(cell.prob_beat_control);
      json.key("visitors").value(cell.n_visitors).end_object();
    }
  }
  json.end_array().end_object();
}

void write_daily_layers(JsonWriter& json) {
  const char* const band_and_line[] = {"area", "line"};
  for (const char* mark : band_and_line) {
    const bool band = std::string_view(mark) == "area";
    json.begin_object().key("mark").begin_object().key("type").value(mark);
    band ? json.key("opacity").value(0.2) : json.key("point").value(true);
    json.end_object();
    json.key("encoding").begin_object();
    detail::day_x(json, "date", !band);
    write_field(json, "y", band ? "low" : "uplift", "Daily uplift vs control (%)", "+.0%");
    if (band) {
      json.key("y2").begin_object().key("field").value("high").end_object();
    }
    write_field(json, "color", "variation", "Variation", "");
    json.key("tooltip").begin_array();
    json.begin_object().key("field").value("date").key("type").value("temporal");
    json.key("title").value("Date").key("format").value("%a %b %d").end_object();
    write_tip(json, "variation", "Variation");
    for (const auto& [field, title, format] : {std::tuple{"uplift", "Uplift", "+.1%"},
                                               {"low", "Interval low", "+.1%"},
                                               {"high", "Interval high", "+.1%"},
                                               {"p2bc", "P(beat control)", ".1%"},
                                               {"visitors", "Visitors (variation)", ","}}) {
      json.begin_object().key("field").value(field).key("type").value("quantitative");
      json.key("title").value(title).key("format").value(format).end_object();
    }
    json.end_array();
    json.end_object().end_object();
  }
}

} // namespace

std::string daily_uplift(const analysis::ExperimentTimeline& timeline) {
  const auto variations = drawn(timeline);
  if (variations.empty() || timeline.days.empty()) {
    return {};
  }
  JsonWriter json;
  detail::begin_spec(json, experiment_title("Daily uplift", timeline),
                     timeline.metric + " per day with its credible interval; weekends shaded");
  json.key("width").value(detail::k_width);
  write_daily_rows(json, timeline, variations);
  json.key("layer").begin_array();
  write_weekend_layer(json, timeline);
  write_daily_layers(json);
  write_y_rule(json, 0.0, "no change", false);
  json.end_array();
  json.end_object();
  return json.finish();
}

std::string cumulative_chance(const analysis::ExperimentTimeline& timeline, double threshold) {
  const auto variations = drawn(timeline);
  if (variations.empty() || timeline.days.empty()) {
    return {};
  }
  JsonWriter json;
  detail::begin_spec(json, experiment_title("Chance to beat control so far", timeline),
                     timeline.metric + ": P(beat control) of all the days up to each date");
  json.key("width").value(detail::k_width);
  json.key("layer").begin_array();
  json.begin_object();
  json.key("data").begin_object().key("values").begin_array();
  for (const analysis::VariationTimeline* variation : variations) {
    const std::string name = detail::variation_name(timeline.variations, variation->variation_id);
    for (std::size_t d = 0; d < variation->cumulative.size() && d < timeline.days.size(); ++d) {
      const analysis::CellResult& cell = variation->cumulative[d];
      if (cell.prob_beat_control) {
        json.begin_object().key("date").value(timeline.days[d].date).key("variation").value(name);
        json.key("p2bc").value(cell.prob_beat_control).end_object();
      }
    }
  }
  json.end_array().end_object();
  json.key("mark").begin_object().key("type").value("line").key("point").value(true).end_object();
  json.key("encoding").begin_object();
  detail::day_x(json, "date", true);
  json.key("y").begin_object().key("field").value("p2bc").key("type").value("quantitative");
  json.key("scale").begin_object().key("domain").begin_array().value(0).value(1).end_array();
  json.end_object();
  detail::axis(json, "P(beat control), cumulative (%)", ".0%");
  json.end_object();
  write_field(json, "color", "variation", "Variation", "");
  json.key("tooltip").begin_array();
  json.begin_object().key("field").value("date").key("type").value("temporal");
  json.key("title").value("Through").key("format").value("%a %b %d").end_object();
  write_tip(json, "variation", "Variation");
  json.begin_object().key("field").value("p2bc").key("type").value("quantitative");
  json.key("title").value("P(beat control)").key("format").value(".1%").end_object();
  json.end_array();
  json.end_object();
  json.end_object();
  write_y_rule(json, threshold, "winner threshold", true);
  write_y_rule(json, 1.0 - threshold, "loser threshold", true);
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::report::charts
