#include "reckon/report/check_output.hpp"

#include "text_table.hpp"
#include "vendor_method_output.hpp"

#include "reckon/util/json_writer.hpp"
#include "reckon/util/number_format.hpp"

namespace reckon::report {
namespace {

std::string describe_slice(const model::Slice& slice) {
  if (slice.is_overall()) {
    return "overall";
  }
  std::string text = slice.segment_type == "day" ? "day " + slice.segment
                                                 : slice.segment_type + "=" + slice.segment;
  if (!slice.date.empty()) {
    text += " on " + slice.date;
  }
  return text;
}

std::string where(const analysis::CheckFailure& failure) {
  std::string text = describe_slice(failure.slice);
  if (!failure.metric.empty()) {
    text += " " + failure.metric;
  }
  if (!failure.variation_id.empty()) {
    text += " variation " + failure.variation_id;
  }
  return text;
}

std::uint64_t failed_checks(const analysis::ExperimentCheck& experiment) {
  std::uint64_t count = 0;
  for (const analysis::CheckOutcome& check : experiment.checks) {
    count += check.failures.empty() ? 0 : 1;
  }
  return count;
}

std::string xml_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      escaped += "&amp;";
      break;
    case '<':
      escaped += "&lt;";
      break;
    case '>':
      escaped += "&gt;";
      break;
    case '"':
      escaped += "&quot;";
      break;
    case '\'':
      escaped += "&apos;";
      break;
    default:
      // XML 1.0 forbids most control characters even when escaped.
      if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
        escaped += c;
      }
    }
  }
  return escaped;
}

std::string optional_number(std::optional<double> number) {
  return number ? util::format_round_trip(*number) : "null";
}

// Which null rule held the vendor, and for an inferred one each kind's boundary with its
// evidence.
std::string describe_null_rule(const analysis::CheckReport& report) {
  const analysis::CheckSettings& settings = report.settings;
  if (settings.fixed_null_rule) {
    return "Null rule: fixed (--low-data-visitors " + std::to_string(settings.low_data_visitors) +
           ", --low-data-events " + std::to_string(settings.low_data_events) + ").\n";
  }
  std::string text = "Null rule: inferred from the account, per metric kind" +
                     std::string(report.null_boundaries.empty() ? " (no statistics).\n" : ":\n");
  for (const analysis::NullBoundary& boundary : report.null_boundaries) {
    text += "  " + boundary.kind + ": " + analysis::describe(boundary) + "; " +
            std::to_string(boundary.rows) + " rows, " + std::to_string(boundary.null_rows) +
            " null, " + std::to_string(boundary.unexplained) + " unexplained\n";
  }
  return text;
}

void write_optional(util::JsonWriter& json, std::string_view key,
                    std::optional<std::uint64_t> number) {
  json.key(key);
  number ? json.value(*number) : json.null();
}

void write_null_boundaries(util::JsonWriter& json, const analysis::CheckReport& report) {
  json.key("null_boundaries").begin_array();
  for (const analysis::NullBoundary& boundary : report.null_boundaries) {
    json.begin_object();
    json.key("kind").value(boundary.kind);
    json.key("events").value(boundary.events);
    json.key("min_events").value(boundary.min_events);
    json.key("min_visitors").value(boundary.min_visitors);
    write_optional(json, "largest_null_events", boundary.largest_null_events);
    write_optional(json, "smallest_non_null_events", boundary.smallest_non_null_events);
    write_optional(json, "largest_null_visitors", boundary.largest_null_visitors);
    write_optional(json, "smallest_non_null_visitors", boundary.smallest_non_null_visitors);
    json.key("rows").value(boundary.rows);
    json.key("null_rows").value(boundary.null_rows);
    json.key("unexplained").value(boundary.unexplained);
    json.key("description").value(analysis::describe(boundary));
    json.end_object();
  }
  json.end_array();
}

} // namespace

std::string render_reported_moves(const std::vector<analysis::ReportedMove>& moves,
                                  const std::string& since) {
  if (moves.empty()) {
    return "No reported figure moved since " + since + ".\n";
  }
  TextTable table({"experiment", "slice", "metric", "variation", "field", "then", "now"});
  std::size_t closed = 0;
  for (const bool closed_pass : {true, false}) {
    for (const analysis::ReportedMove& move : moves) {
      if (move.closed_window != closed_pass) {
        continue;
      }
      closed += closed_pass ? 1 : 0;
      table.add_row({move.experiment_id, describe_slice(move.slice), move.metric, move.variation_id,
                     move.field, optional_number(move.then), optional_number(move.now)});
    }
  }
  return table.render("") + std::to_string(moves.size()) + " reported figures moved since " +
         since + ", " + std::to_string(closed) +
         " of them in closed day windows (those should never change).\n";
}

std::string render_check_table(const analysis::CheckReport& report) {
  TextTable summary({"experiment", "check", "examined", "failed"});
  std::string details;
  for (const analysis::ExperimentCheck& experiment : report.experiments) {
    for (const analysis::CheckOutcome& check : experiment.checks) {
      summary.add_row({experiment.name, check.name, std::to_string(check.examined),
                       std::to_string(check.failures.size())});
      for (const analysis::CheckFailure& failure : check.failures) {
        details += "  FAIL " + experiment.name + " (" + experiment.id + ") " + check.name + ": " +
                   where(failure) + ": " + failure.detail + "\n";
      }
    }
  }
  std::string text = summary.render("") + "\n";
  text.append("Drift: ")
      .append(std::to_string(report.drift_flagged))
      .append(" of ")
      .append(std::to_string(report.drift_examined))
      .append(" reported cells flagged; ")
      .append(std::to_string(report.comparisons))
      .append(" numbers compared at K = ")
      .append(util::format_fixed(report.effective_k, 2))
      .append(" (--tolerance ")
      .append(util::format_round_trip(report.settings.tolerance_k))
      .append(", raised so that the chance of any false alarm in the run is ")
      .append(util::format_round_trip(report.settings.family_alpha))
      .append("; vendor draws ")
      .append(std::to_string(report.settings.vendor_draws))
      .append(").\n");
  text += describe_null_rule(report);
  text += detail::describe_vendor_methods(report);
  text += details.empty() ? "Every check passed.\n" : details;
  return text;
}

std::string render_check_json(const analysis::CheckReport& report) {
  util::JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.check/v1");
  json.key("settings").begin_object();
  json.key("tolerance_k").value(report.settings.tolerance_k);
  json.key("family_alpha").value(report.settings.family_alpha);
  json.key("effective_k").value(report.effective_k);
  json.key("vendor_draws").value(report.settings.vendor_draws);
  const bool fixed = report.settings.fixed_null_rule;
  json.key("null_rule").value(fixed ? "fixed" : "inferred");
  write_optional(json, "low_data_visitors",
                 fixed ? std::optional(report.settings.low_data_visitors) : std::nullopt);
  write_optional(json, "low_data_events",
                 fixed ? std::optional(report.settings.low_data_events) : std::nullopt);
  json.end_object();
  write_null_boundaries(json, report);
  detail::write_vendor_methods(json, report);
  json.key("summary").begin_object();
  json.key("comparisons").value(report.comparisons);
  json.key("drift_examined").value(report.drift_examined);
  json.key("drift_flagged").value(report.drift_flagged);
  json.key("passed").value(!report.any_failure());
  json.end_object();
  json.key("experiments").begin_array();
  for (const analysis::ExperimentCheck& experiment : report.experiments) {
    json.begin_object();
    json.key("id").value(experiment.id);
    json.key("name").value(experiment.name);
    json.key("source").value(experiment.source);
    json.key("checks").begin_array();
    for (const analysis::CheckOutcome& check : experiment.checks) {
      json.begin_object();
      json.key("name").value(check.name);
      json.key("title").value(check.title);
      json.key("examined").value(check.examined);
      json.key("failures").begin_array();
      for (const analysis::CheckFailure& failure : check.failures) {
        json.begin_object();
        json.key("segment_type").value(failure.slice.segment_type);
        json.key("segment").value(failure.slice.segment);
        if (!failure.slice.date.empty()) {
          json.key("date").value(failure.slice.date);
        }
        json.key("metric");
        failure.metric.empty() ? json.null() : json.value(failure.metric);
        json.key("variation_id");
        failure.variation_id.empty() ? json.null() : json.value(failure.variation_id);
        json.key("detail").value(failure.detail);
        json.end_object();
      }
      json.end_array();
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

std::string render_check_junit(const analysis::CheckReport& report) {
  std::uint64_t tests = 0;
  std::uint64_t failures = 0;
  for (const analysis::ExperimentCheck& experiment : report.experiments) {
    tests += experiment.checks.size();
    failures += failed_checks(experiment);
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"reckon check\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\">\n";
  for (const analysis::ExperimentCheck& experiment : report.experiments) {
    xml += "  <testsuite name=\"" + xml_escape(experiment.name) + " (" + xml_escape(experiment.id) +
           ")\" tests=\"" + std::to_string(experiment.checks.size()) + "\" failures=\"" +
           std::to_string(failed_checks(experiment)) + "\">\n";
    for (const analysis::CheckOutcome& check : experiment.checks) {
      xml += "    <testcase classname=\"" + xml_escape(experiment.id) + "\" name=\"" +
             xml_escape(check.name) + "\">\n";
      xml += "      <system-out>" + xml_escape(check.title) + ": " +
             std::to_string(check.examined) + " examined</system-out>\n";
      if (!check.failures.empty()) {
        std::string body;
        for (const analysis::CheckFailure& failure : check.failures) {
          body += where(failure) + ": " + failure.detail + "\n";
        }
        xml += "      <failure message=\"" + std::to_string(check.failures.size()) + " of " +
               std::to_string(check.examined) + " failed: " + xml_escape(check.title) +
               "\" type=\"" + xml_escape(check.name) + "\">" + xml_escape(body) + "</failure>\n";
      }
      xml += "    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

} // namespace reckon::report
