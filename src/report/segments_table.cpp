#include "reckon/report/segments_output.hpp"

#include "segments_checks.hpp"
#include "text_table.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace reckon::report {
namespace {

using analysis::SegmentVerdict;

constexpr const char* k_missing = "-";
// Segment names longer than this are cut so that rows fit 100 columns.
constexpr std::size_t k_segment_width = 20;
constexpr std::size_t k_line_width = 100;
// Contradictions named in their summary line; the rest are counted.
constexpr std::size_t k_named_contradictions = 3;
// Segments named per verdict in the headline; the rest are counted.
constexpr std::size_t k_named_in_headline = 4;

// Percent with `decimals` digits and its sign; a value that rounds to zero has none.
std::string signed_percent_digits(double fraction, int decimals) {
  std::string digits = util::format_fixed(fraction * 100.0, decimals);
  if (digits.find_first_not_of("-0.") == std::string::npos) {
    return util::format_fixed(0.0, decimals);
  }
  return fraction > 0.0 ? "+" + digits : digits;
}

// " [+14, +40]": the bounds in percent, without the unit the uplift beside it carries.
std::string bounds(std::optional<double> low, std::optional<double> high, int decimals) {
  if (!low || !high) {
    return {};
  }
  std::string text = " [";
  text.append(signed_percent_digits(*low, decimals));
  text.append(", ");
  text.append(signed_percent_digits(*high, decimals));
  text.append("]");
  return text;
}

// "+6.1 %"; unlike util::format_signed_percent, never "-0 %" at few decimals.
std::string percent(std::optional<double> fraction, int decimals = 1) {
  return fraction ? signed_percent_digits(*fraction, decimals) + " %" : k_missing;
}

// "12,345".
std::string grouped(double value) {
  const bool negative = value < 0.0;
  std::string digits = util::format_fixed(std::fabs(value), 0);
  for (std::size_t at = digits.size(); at > 3; at -= 3) {
    digits.insert(at - 3, ",");
  }
  return negative ? "-" + digits : digits;
}

// `line` (starting with its own indent) broken to fit k_line_width, continuing with `indent`.
std::string wrapped(const std::string& line, const std::string& indent) {
  return util::wrap_words(line, "", indent, k_line_width);
}

// wrapped() for every line of `text`.
std::string wrapped_lines(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out += wrapped(text.substr(start, end - start), indent);
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

std::string signed_amount(double value) {
  return value >= 0.0 ? "+" + grouped(value) : grouped(value);
}

std::string probability(std::optional<double> p) {
  return p ? util::format_fixed(*p, 2) : k_missing;
}

const std::map<std::string, std::string, std::less<>> k_short_dimensions{
    {"device_type", "device"}, {"visitor_type", "visitor"}, {"source_channel", "channel"},
    {"source_site", "site"},   {"country_code", "country"}, {"landing_page_full_path", "page"}};

std::string short_dimension(const std::string& dimension) {
  const auto known = k_short_dimensions.find(dimension);
  return known == k_short_dimensions.end() ? dimension : known->second;
}

// A long segment value keeps its start and its end ("page: /coll...rwear"), which tell landing
// pages apart better than a start alone.
std::string segment_name(const std::string& dimension, const std::string& segment) {
  const std::string prefix = short_dimension(dimension) + ": ";
  if (prefix.size() + segment.size() <= k_segment_width || prefix.size() + 5 > k_segment_width) {
    return prefix + segment;
  }
  const std::size_t room = k_segment_width - prefix.size() - 3;
  const std::size_t head = room / 2;
  return prefix + segment.substr(0, head) + "..." + segment.substr(segment.size() - (room - head));
}

std::string variation_name(const analysis::ExperimentSegments& experiment, const std::string& id) {
  for (const model::Variation& variation : experiment.variations) {
    if (variation.id == id && !variation.name.empty()) {
      return variation.name;
    }
  }
  return id;
}

std::string pooled_text(const analysis::SegmentRow& row) {
  if (!row.pooled.evidence.uplift) {
    return std::string(analysis::segment_verdict_label(row.pooled.verdict));
  }
  return percent(row.pooled.evidence.uplift, 0) + " " +
         std::string(analysis::segment_verdict_label(row.pooled.verdict));
}

// "!" marks a segment that opposes the overall result, "SRM" one off its allocation.
std::string note(const analysis::ExperimentSegments& experiment, const analysis::SegmentRow& row) {
  std::string text = row.contradiction ? "!" : "";
  if (detail::segment_srm_flagged(experiment, row)) {
    text += text.empty() ? "SRM" : " SRM";
  }
  return text;
}

// The overall verdict of a variation, as the verdict rule called it on the test's primary
// metric (shown on that metric's line only).
std::string overall_line(const analysis::ExperimentSegments& experiment,
                         const analysis::CellResult& overall) {
  std::string text = "  " + variation_name(experiment, overall.variation_id) + ": ";
  if (experiment.verdict && experiment.verdict->metric == overall.metric) {
    for (const analysis::VariationVerdict& verdict : experiment.verdict->variations) {
      if (verdict.variation_id == overall.variation_id) {
        text += std::string(analysis::verdict_label(verdict.verdict)) + ", ";
      }
    }
  }
  const analysis::Evidence evidence = analysis::evidence_of(overall);
  text += "overall " + percent(evidence.uplift) +
          bounds(evidence.uplift_low, evidence.uplift_high, 1) + ", p2bc " +
          probability(evidence.p2bc);
  if (experiment.metrics.size() > 1) {
    text += " (" + overall.metric + ")";
  }
  return text + "\n";
}

std::string percent_whole(double fraction) {
  return util::format_fixed(fraction * 100.0, 0) + " %";
}

// A variation's dimensions on a metric: those whose segments differ (tau^2 > 0) first, most
// heterogeneous first; then those whose segments agree, in the source's order.
std::vector<const analysis::DimensionCheck*>
ordered_dimensions(const analysis::ExperimentSegments& experiment,
                   const analysis::CellResult& overall) {
  std::vector<const analysis::DimensionCheck*> checks;
  for (const analysis::DimensionCheck& check : experiment.dimensions) {
    if (check.metric == overall.metric && check.variation_id == overall.variation_id) {
      checks.push_back(&check);
    }
  }
  std::stable_sort(checks.begin(), checks.end(), [](const auto* a, const auto* b) {
    return a->heterogeneity.i2 > b->heterogeneity.i2;
  });
  return checks;
}

void add_row(TextTable& table, const analysis::ExperimentSegments& experiment,
             const analysis::SegmentRow& row) {
  const analysis::Evidence& raw = row.raw.evidence;
  table.add_row({segment_name(row.dimension, row.segment),
                 util::format_count(row.control_visitors + row.variant_visitors),
                 percent(raw.uplift) + bounds(raw.uplift_low, raw.uplift_high, 0),
                 probability(raw.p2bc),
                 std::string(analysis::segment_verdict_label(row.raw.verdict)), pooled_text(row),
                 note(experiment, row)});
}

// The rows of one variation on one metric. Where segments differ, every segment with enough
// data is listed: that is where the variation wins or loses. Where they agree (tau^2 = 0),
// every segment reads as the overall and its raw calls are noise around it, so only segments
// off their allocation are listed, and the rest counted.
std::string segment_block(const analysis::ExperimentSegments& experiment,
                          const analysis::CellResult& overall, SegmentScope scope) {
  TextTable table({"segment", "visitors", "uplift [95 %]", "p2bc", "verdict", "pooled", ""});
  std::string differ;
  std::string agree;
  std::map<SegmentVerdict, std::size_t> left_out;
  std::size_t shown = 0;
  for (const analysis::DimensionCheck* check : ordered_dimensions(experiment, overall)) {
    const bool differs = check->heterogeneity.tau2 > 0.0;
    std::string& names = differs ? differ : agree;
    names += (names.empty() ? "" : ", ") + short_dimension(check->dimension);
    if (differs) {
      names += " (I\u00b2 " + percent_whole(check->heterogeneity.i2) + ")";
    }
    for (const analysis::SegmentRow& row : experiment.rows) {
      if (row.metric != check->metric || row.variation_id != check->variation_id ||
          row.dimension != check->dimension) {
        continue;
      }
      const bool listed = scope == SegmentScope::every_segment ||
                          detail::segment_srm_flagged(experiment, row) ||
                          (differs && row.raw.verdict != SegmentVerdict::low_data);
      if (listed) {
        add_row(table, experiment, row);
        ++shown;
      } else {
        ++left_out[row.raw.verdict];
      }
    }
  }
  std::string out;
  if (!differ.empty()) {
    out += wrapped("  segments differ in " + differ, "    ");
  }
  out += shown > 0 ? table.render("  ") : "";
  if (!agree.empty()) {
    out += wrapped("  segments agree in " + agree + ": each reads as the overall", "    ");
  }
  if (!left_out.empty()) {
    std::string counts;
    for (const auto& [verdict, count] : left_out) {
      counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " +
                std::string(analysis::segment_verdict_label(verdict));
    }
    out += "  not listed: " + counts + " (--all lists every segment)\n";
  }
  return out;
}

std::string chance_line(const analysis::ChanceSummary& summary, bool several_metrics) {
  std::string text = "  winners found: " + std::to_string(summary.winners_found) +
                     ", expected by chance: " + util::format_fixed(summary.chance.expected, 1) +
                     " (95 % up to " + std::to_string(summary.chance.upper_95) + ")";
  if (summary.within_chance) {
    text += ": no more winners than chance";
  } else if (summary.winners_found > 0) {
    text += ", P(as many by chance) " +
            util::format_fixed(summary.chance.at_least(summary.winners_found), 3);
  }
  text += "; after pooling: " + std::to_string(summary.pooled_winners_found);
  if (several_metrics) {
    text += " (" + summary.metric + ")";
  }
  return text + "\n";
}

std::string contradiction_line(const analysis::ExperimentSegments& experiment,
                               const analysis::SegmentsReport& report) {
  std::vector<std::string> names;
  for (const analysis::SegmentRow& row : experiment.rows) {
    if (row.contradiction && row.metric == experiment.metrics.front()) {
      names.push_back(segment_name(row.dimension, row.segment));
    }
  }
  if (names.empty()) {
    return {};
  }
  std::string text = "  contradictions: " + std::to_string(names.size()) +
                     " segment(s) oppose the overall beyond +/-" +
                     util::format_fixed(report.segment_options.rule.neutral_band * 100.0, 0) +
                     " % (";
  for (std::size_t i = 0; i < std::min(names.size(), k_named_contradictions); ++i) {
    text += (i > 0 ? ", " : "") + names[i];
  }
  return text + (names.size() > k_named_contradictions ? ", ...)\n" : ")\n");
}

std::string simpson_lines(const analysis::ExperimentSegments& experiment) {
  std::string text;
  for (const analysis::DimensionCheck& check : experiment.dimensions) {
    if (check.reversal) {
      text += "  Simpson reversal in " + check.dimension + " (" +
              variation_name(experiment, check.variation_id) + "): pooled " +
              percent(check.pooled_uplift) + ", post-stratified " +
              percent(check.post_stratified_uplift) + "\n";
    }
  }
  return text.empty() && !experiment.dimensions.empty() ? "  Simpson: no reversal\n" : text;
}

std::string srm_line(const analysis::ExperimentSegments& experiment) {
  std::string names;
  std::size_t flagged = 0;
  for (const analysis::SegmentSrm& srm : experiment.srm) {
    if (srm.test.flagged) {
      names += (flagged++ > 0 ? ", " : "") + segment_name(srm.dimension, srm.segment) +
               " (p = " + util::format_fixed(srm.test.p_value, 4) + ")";
    }
  }
  if (detail::whole_test_off(experiment)) {
    return "  sample ratio mismatch in the whole test (p = " +
           util::format_fixed(experiment.overall_srm->p_value, 4) + "), so in " +
           std::to_string(flagged) + " of its segments: read no segment before that is explained\n";
  }
  if (experiment.srm.empty()) {
    return {};
  }
  return flagged == 0 ? "  sample ratio: every segment on its allocation\n"
                      : "  sample ratio mismatch in " + names + "\n";
}

std::string rollout_line(const analysis::ExperimentSegments& experiment,
                         const analysis::VariationRollout& rollout) {
  std::string text = "  rollout of " + variation_name(experiment, rollout.variation_id) + ": " +
                     std::string(analysis::rollout_label(rollout.decision.call)) + " (" +
                     rollout.decision.reason + ")\n";
  const bool rolls_out = rollout.decision.call == analysis::RolloutCall::roll_out ||
                         rollout.decision.call == analysis::RolloutCall::segment_specific;
  if (!rolls_out) {
    return text;
  }
  if (rollout.opportunity) {
    text += "    opportunity of winning segments: " + signed_amount(rollout.opportunity->per_year) +
            " a year [" + signed_amount(rollout.opportunity->low) + ", " +
            signed_amount(rollout.opportunity->high) + "]\n";
  } else if (rollout.tally.winners > 0) {
    text += "    opportunity: " + rollout.opportunity_reason + "\n";
  }
  return text;
}

std::string experiment_text(const analysis::ExperimentSegments& experiment,
                            const analysis::SegmentsReport& report, SegmentScope scope) {
  std::string out = experiment.name.empty() || experiment.name == experiment.id
                        ? experiment.id
                        : experiment.name + " (" + experiment.id + ")";
  out += ", " + experiment.metrics.front();
  if (experiment.runtime_days) {
    out += ", " + std::to_string(*experiment.runtime_days) + " days";
  }
  out += "\n";
  if (experiment.rows.empty()) {
    return out + "  no segments in the input\n\n";
  }
  for (const analysis::CellResult& overall : experiment.overall) {
    out += overall_line(experiment, overall);
    out += segment_block(experiment, overall, scope);
  }
  std::string summary;
  for (const analysis::ChanceSummary& chance : experiment.chance) {
    summary += chance_line(chance, experiment.chance.size() > 1);
  }
  summary +=
      contradiction_line(experiment, report) + simpson_lines(experiment) + srm_line(experiment);
  for (const analysis::VariationRollout& rollout : experiment.rollouts) {
    summary += rollout_line(experiment, rollout);
  }
  return out + wrapped_lines(summary, "      ") + "\n";
}

// "Mobile (+26.9 %), Tablet (+1.4 %)", at most k_named_in_headline names and a count of the rest.
std::string named_segments(const std::vector<const analysis::SegmentRow*>& rows) {
  std::string text;
  for (std::size_t i = 0; i < rows.size() && i < k_named_in_headline; ++i) {
    text += (i == 0 ? "" : ", ") + rows[i]->segment + " (" + percent(rows[i]->raw.evidence.uplift) +
            ")";
  }
  if (rows.size() > k_named_in_headline) {
    text += " and " + std::to_string(rows.size() - k_named_in_headline) + " more";
  }
  return text;
}

// Where a variation's segments differ most: who wins there, who loses, and who gets no call.
std::string where_it_differs(const analysis::ExperimentSegments& experiment,
                             const analysis::CellResult& overall) {
  const std::vector<const analysis::DimensionCheck*> checks =
      ordered_dimensions(experiment, overall);
  if (checks.empty() || checks.front()->heterogeneity.tau2 <= 0.0) {
    return "    segments agree: each reads as the overall\n";
  }
  const analysis::DimensionCheck& check = *checks.front();
  std::vector<const analysis::SegmentRow*> wins;
  std::vector<const analysis::SegmentRow*> loses;
  std::vector<const analysis::SegmentRow*> neither;
  for (const analysis::SegmentRow& row : experiment.rows) {
    if (row.metric != check.metric || row.variation_id != check.variation_id ||
        row.dimension != check.dimension || row.raw.verdict == SegmentVerdict::low_data) {
      continue;
    }
    (row.raw.verdict == SegmentVerdict::winner  ? wins
     : row.raw.verdict == SegmentVerdict::loser ? loses
                                                : neither)
        .push_back(&row);
  }
  if (wins.empty() && loses.empty() && neither.empty()) {
    return "    most different by " + short_dimension(check.dimension) +
           ", with too little data in each segment to call\n";
  }
  std::string text = "    most different by " + short_dimension(check.dimension) + ":";
  std::string separator = " ";
  for (const auto& [verb, rows] : {std::pair{"wins on ", &wins}, std::pair{"loses on ", &loses},
                                   std::pair{"no call on ", &neither}}) {
    if (!rows->empty()) {
      text += separator + verb + named_segments(*rows);
      separator = "; ";
    }
  }
  return wrapped(text, "      ");
}

// The answer first: per test, each variation's overall verdict and rollout call on the primary
// metric, where its segments differ most, and how many segment winners chance alone explains.
std::string headline(const analysis::SegmentsReport& report) {
  std::string out = "In short, on each test's primary metric (details below):\n";
  for (const analysis::ExperimentSegments& experiment : report.experiments) {
    if (experiment.rows.empty()) {
      continue;
    }
    const std::string name = experiment.name.empty() ? experiment.id : experiment.name;
    for (const analysis::CellResult& overall : experiment.overall) {
      if (overall.metric != experiment.metrics.front()) {
        continue;
      }
      std::string line = "  " + name + ": " + variation_name(experiment, overall.variation_id);
      if (experiment.verdict) {
        for (const analysis::VariationVerdict& verdict : experiment.verdict->variations) {
          if (verdict.variation_id == overall.variation_id) {
            line += " " + std::string(analysis::verdict_label(verdict.verdict));
          }
        }
      }
      line += " overall (" + percent(analysis::evidence_of(overall).uplift) + ")";
      for (const analysis::VariationRollout& rollout : experiment.rollouts) {
        if (rollout.variation_id == overall.variation_id) {
          line += ", rollout " + std::string(analysis::rollout_label(rollout.decision.call));
        }
      }
      out += wrapped(line, "      ") + where_it_differs(experiment, overall);
    }
    for (const analysis::ChanceSummary& chance : experiment.chance) {
      if (chance.metric == experiment.metrics.front()) {
        out += "    " + std::to_string(chance.winners_found) + " segment winners, " +
               util::format_fixed(chance.chance.expected, 1) + " expected by chance" +
               (chance.within_chance ? ": no more than chance\n" : "\n");
      }
    }
  }
  return out + "\n";
}

} // namespace

std::string render_segments_table(const analysis::SegmentsReport& report, SegmentScope scope) {
  std::string out = headline(report);
  for (const analysis::ExperimentSegments& experiment : report.experiments) {
    out += experiment_text(experiment, report, scope);
  }
  return out;
}

} // namespace reckon::report
