#include "reckon/report/temporal_output.hpp"

#include "temporal_text.hpp"
#include "text_table.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"
#include "reckon/util/text.hpp"

#include <algorithm>
#include <sstream>

namespace reckon::report {
namespace {

using namespace temporal_text;

constexpr std::size_t k_variation_width = 16;
constexpr std::size_t k_name_width = 32;

std::string leader_text(const analysis::ExperimentTimeline& experiment) {
  if (experiment.leaders.empty()) {
    return "no leader";
  }
  std::string text = "leader " + variation_name(experiment, experiment.leaders.back().variation_id);
  text +=
      experiment.leader_last_changed ? " since " + *experiment.leader_last_changed : " from day 1";
  return text;
}

std::string verdict_of(const analysis::ExperimentTimeline& experiment, const std::string& id) {
  if (experiment.verdict) {
    for (const analysis::VariationVerdict& variation : experiment.verdict->variations) {
      if (variation.variation_id == id) {
        return std::string(analysis::verdict_label(variation.verdict));
      }
    }
  }
  return "-";
}

std::vector<std::string> headline_row(const analysis::ExperimentTimeline& experiment,
                                      const analysis::VariationTimeline& timeline) {
  const analysis::DayTypeContrast& contrast = timeline.day_type;
  std::string trend = timeline.trend.label.empty() ? "-" : timeline.trend.label;
  std::size_t days_with_data = 0;
  for (const analysis::CellResult& day : timeline.days) {
    days_with_data += day.prob_beat_control ? 1 : 0;
  }
  return {"  " + clip(variation_name(experiment, timeline.variation_id), k_variation_width),
          verdict_of(experiment, timeline.variation_id),
          signed_percent(uplift_of(contrast.weekday)),
          signed_percent(uplift_of(contrast.weekend)),
          contrast.difference ? probability(contrast.difference->prob_second_better.value) : "-",
          contrast.call.empty() ? "-" : contrast.call,
          trend,
          std::to_string(timeline.underperforming_days.size()) + " of " +
              std::to_string(days_with_data)};
}

std::string experiment_heading(const analysis::ExperimentTimeline& experiment) {
  return clip(experiment.name, k_name_width) + ": " + metric_words(experiment.metric) + ", " +
         std::to_string(experiment.days.size()) +
         (experiment.days.size() == 1 ? " day; " : " days; ") + leader_text(experiment);
}

// One table for every experiment, so columns align; each experiment's heading goes above its
// rows.
std::string render_headline(const analysis::TemporalResults& results) {
  TextTable table({"variation", "verdict", "weekday", "weekend", "P(we>wd)", "weekend vs weekday",
                   "trend", "days under"});
  std::vector<std::pair<std::size_t, std::string>> headings; // before table row i
  std::size_t rows = 0;
  for (const analysis::ExperimentTimeline& experiment : results.experiments) {
    headings.emplace_back(rows, experiment_heading(experiment));
    for (const analysis::VariationTimeline& timeline : experiment.timelines) {
      if (timeline.metric == experiment.metric) {
        table.add_row(headline_row(experiment, timeline));
        ++rows;
      }
    }
  }
  std::istringstream lines(table.render(""));
  std::string out;
  std::string line;
  std::getline(lines, line);
  out += line + "\n";
  std::size_t next = 0;
  for (std::size_t row = 0; std::getline(lines, line); ++row) {
    for (; next < headings.size() && headings[next].first == row; ++next) {
      out += headings[next].second + "\n";
    }
    out += line + "\n";
  }
  for (; next < headings.size(); ++next) {
    out += headings[next].second + "\n";
  }
  return out;
}

std::string legend(const analysis::TemporalResults& results) {
  const std::string threshold = util::format_fixed(1.0 - results.options.verdict.threshold, 2);
  return "weekday, weekend: the uplift of the days pooled; P(we>wd): P(weekend uplift > weekday "
         "uplift)\nfrom joint draws; trend: of log(1 + daily uplift) over the days (p < 0.05); "
         "days under:\ndays with P(beat control) <= " +
         threshold + "; leader: the highest P(best) over the days so far\n";
}

// The tests left out, one paragraph per reason, by name: no test disappears without a word.
std::string left_out_lines(const std::vector<analysis::LeftOut>& left_out) {
  std::vector<std::pair<std::string, std::string>> names_by_reason;
  for (const analysis::LeftOut& test : left_out) {
    auto group = std::find_if(names_by_reason.begin(), names_by_reason.end(),
                              [&](const auto& entry) { return entry.first == test.reason; });
    if (group == names_by_reason.end()) {
      group = names_by_reason.insert(group, {test.reason, ""});
    }
    group->second +=
        (group->second.empty() ? "" : ", ") + (test.name.empty() ? test.id : test.name);
  }
  std::string out;
  for (const auto& [reason, names] : names_by_reason) {
    out += "\n" + util::wrap_words("Left out, " + reason + ": " + names, "", "  ", 100);
  }
  return out;
}

} // namespace

std::string render_temporal_table(const analysis::TemporalResults& results, TemporalDetail detail) {
  std::string out;
  if (results.experiments.empty()) {
    out += "No experiment has day data: fetch with --days, or give day rows in the counts CSV.\n";
  } else {
    out += render_headline(results) + "\n" + legend(results);
  }
  const double level = results.options.sampling.level;
  for (const analysis::ExperimentTimeline& experiment : results.experiments) {
    out += "\n" + clip(experiment.name, k_name_width) + " (" + metric_words(experiment.metric) +
           "; days from " + experiment.days.front().source + ")\n";
    for (const analysis::VariationTimeline& timeline : experiment.timelines) {
      if (timeline.metric == experiment.metric) {
        out += render_days(experiment, timeline, level);
      }
    }
    if (detail == TemporalDetail::everything) {
      out += render_details(experiment, level);
    }
  }
  return out + left_out_lines(results.skipped);
}

} // namespace reckon::report
