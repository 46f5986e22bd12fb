#include "csv_text.hpp"
#include "text_table.hpp"

#include "reckon/report/list_output.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <set>

namespace reckon::report {
namespace {

// The day of an instant, in UTC.
std::string day_of(std::int64_t unix_ms) {
  return util::utc_seconds_text(unix_ms).substr(0, 10);
}

// The first and last day of the experiment's per-day data, if it has any.
std::pair<std::string, std::string> data_days(const model::Experiment& experiment) {
  std::set<std::string> days;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.segment_type == "day") {
      days.insert(cell.slice.segment);
    } else if (!cell.slice.date.empty()) {
      days.insert(cell.slice.date);
    }
  }
  if (days.empty()) {
    return {};
  }
  return {*days.begin(), *days.rbegin()};
}

std::uint64_t overall_visitors(const model::Experiment& experiment) {
  std::uint64_t visitors = 0;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.is_overall()) {
      for (const model::ArmCounts& arm : cell.arms) {
        visitors += arm.visitors;
      }
    }
  }
  return visitors;
}

// `text` cut to `width` code points, its last one "…" when it was longer.
std::string cut(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) {
    return text;
  }
  std::string kept;
  std::size_t points = 0;
  for (const char c : text) {
    const bool starts_point = (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    if (starts_point && ++points == width) {
      break;
    }
    kept.push_back(c);
  }
  return kept + "…";
}

void value_or_null(util::JsonWriter& json, const std::string& text) {
  if (text.empty()) {
    json.null();
  } else {
    json.value(text);
  }
}

} // namespace

std::vector<TestListing> list_tests(const model::Dataset& dataset) {
  std::vector<TestListing> tests;
  for (const model::Experiment& experiment : dataset.experiments) {
    const auto [first, last] = data_days(experiment);
    tests.push_back({experiment.id, experiment.name, experiment.source, experiment.status,
                     experiment.started_at_ms ? day_of(*experiment.started_at_ms) : first,
                     experiment.ended_at_ms ? day_of(*experiment.ended_at_ms) : last,
                     overall_visitors(experiment)});
  }
  return tests;
}

std::string render_list_table(const std::vector<TestListing>& tests) {
  const std::vector<std::string> header{"Test", "Source", "Status", "Start", "End", "Visitors"};
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> widths(header.size(), 0);
  for (const TestListing& test : tests) {
    rows.push_back({test.name.empty() ? test.id : test.name, test.source,
                    test.status.empty() ? "-" : test.status, test.start.empty() ? "-" : test.start,
                    test.end.empty() ? "-" : test.end, util::format_count(test.visitors)});
  }
  for (std::size_t c = 1; c < header.size(); ++c) {
    widths[c] = display_width(header[c]);
    for (const std::vector<std::string>& row : rows) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  // What the name may take: the width less the indent, the other columns and their gaps.
  constexpr std::size_t k_narrowest_name = 16;
  const std::string indent = "  ";
  std::size_t others = indent.size();
  for (std::size_t c = 1; c < header.size(); ++c) {
    others += widths[c] + 2;
  }
  const std::size_t name_width =
      std::max(k_narrowest_name, k_table_width > others ? k_table_width - others : 0);
  TextTable table(header);
  for (std::vector<std::string>& row : rows) {
    row[0] = cut(row[0], name_width);
    table.add_row(std::move(row));
  }
  return std::to_string(tests.size()) + (tests.size() == 1 ? " test" : " tests") + "\n\n" +
         table.render(indent, k_table_width) +
         "\n--experience takes a test's name, slug or id; --format json or csv lists the ids.\n";
}

std::string render_list_json(const std::vector<TestListing>& tests) {
  util::JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.list/v1");
  json.key("tests").begin_array();
  for (const TestListing& test : tests) {
    json.begin_object();
    json.key("id").value(test.id);
    json.key("name").value(test.name);
    json.key("source").value(test.source);
    json.key("status");
    value_or_null(json, test.status);
    json.key("start");
    value_or_null(json, test.start);
    json.key("end");
    value_or_null(json, test.end);
    json.key("visitors").value(test.visitors);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

std::string render_list_csv(const std::vector<TestListing>& tests) {
  std::string out;
  detail::append_row(out, {"id", "name", "source", "status", "start", "end", "visitors"});
  for (const TestListing& test : tests) {
    detail::append_row(out, {detail::csv_field(test.id), detail::csv_field(test.name),
                             detail::csv_field(test.source), detail::csv_field(test.status),
                             test.start, test.end, std::to_string(test.visitors)});
  }
  return out;
}

} // namespace reckon::report
