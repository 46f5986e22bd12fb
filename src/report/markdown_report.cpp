#include "reckon/report/markdown_report.hpp"

#include "markdown_sections.hpp"
#include "markdown_text.hpp"
#include "method_text.hpp"
#include "names.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>

namespace reckon::report {
namespace {

using namespace markdown;

std::string display_name(const analysis::ExperimentResult& experiment) {
  return experiment.name.empty() ? experiment.id : experiment.name;
}

std::string runtime(const analysis::ExperimentResult& experiment) {
  return experiment.runtime_days ? std::to_string(*experiment.runtime_days) + " days" : "-";
}

std::string name_of(const analysis::ExperimentResult& experiment, const std::string& id) {
  return escape(detail::variation_name(experiment.variations, id));
}

std::string lookup(const std::map<std::string, std::string, std::less<>>& by_id,
                   const std::string& id) {
  const auto found = by_id.find(id);
  return found == by_id.end() ? std::string() : found->second;
}

// "free-over-50: **WINNER**; tiered: FLAT".
std::string verdict_summary(const analysis::ExperimentResult& experiment) {
  if (!experiment.verdict) {
    return "no verdict";
  }
  std::string text;
  for (const analysis::VariationVerdict& verdict : experiment.verdict->variations) {
    const std::string_view label = analysis::verdict_label(verdict.verdict);
    const bool decided =
        verdict.verdict == analysis::Verdict::winner || verdict.verdict == analysis::Verdict::loser;
    text += (text.empty() ? "" : "; ") + name_of(experiment, verdict.variation_id) + ": " +
            (decided ? "**" + std::string(label) + "**" : std::string(label));
  }
  return text;
}

std::string intro(const analysis::Results& results) {
  const analysis::AnalysisOptions& options = results.options;
  const std::string level = util::format_fixed(options.sampling.level * 100.0, 0) + " %";
  return "# Reckon report\n\n" + std::to_string(results.experiments.size()) +
         " tests re-analysed. Intervals are " + level + " credible intervals; numbers are " +
         detail::method_summary(options) + ". A variation wins when P(beat control) is at " +
         "least " + probability(options.verdict.threshold) + " and its uplift is beyond " + "±" +
         util::format_fixed(options.verdict.neutral_band * 100.0, 1) + " % after " +
         std::to_string(options.verdict.min_runtime_days) + " days. Terms are explained in the " +
         "[glossary](#glossary).\n\n";
}

std::string index_table(const ReportInputs& inputs) {
  const bool health = !inputs.health.empty();
  std::vector<std::string> names{"Test", "Source", ">Runtime", "Verdict"};
  if (health) {
    names.push_back("Health");
  }
  std::string out = "## Tests\n\n" + header(names);
  for (const analysis::ExperimentResult& experiment : inputs.results.experiments) {
    const std::string name = display_name(experiment);
    std::vector<std::string> cells{"[" + escape(name) + "](#" + anchor(name) + ")",
                                   escape(experiment.source), runtime(experiment),
                                   verdict_summary(experiment)};
    if (health) {
      cells.push_back(escape(lookup(inputs.health, experiment.id)));
    }
    out += row(cells);
  }
  return out + "\n";
}

// The answer first: each variation's verdict with the primary metric's numbers, and why.
std::string headline(const analysis::ExperimentResult& experiment) {
  if (!experiment.verdict) {
    return "No verdict: the test has no whole-population results with a control.\n\n";
  }
  const analysis::TestVerdict& verdict = *experiment.verdict;
  std::string out;
  for (const analysis::VariationVerdict& variation : verdict.variations) {
    out += "- **" + name_of(experiment, variation.variation_id) + ": " +
           std::string(analysis::verdict_label(variation.verdict)) + "**";
    for (const analysis::CellResult& cell : experiment.cells) {
      if (cell.slice.is_overall() && cell.metric == verdict.metric &&
          cell.variation_id == variation.variation_id) {
        const analysis::Evidence evidence = analysis::evidence_of(cell);
        out += " on " + metric_words(verdict.metric) + ": uplift " +
               signed_percent(evidence.uplift) + " " +
               percent_interval(evidence.uplift_low, evidence.uplift_high) + ", P(beat control) " +
               probability(evidence.p2bc);
      }
    }
    out += ". " + escape(variation.reason) + ".\n";
  }
  return out + "\nPrimary metric: " + metric_words(verdict.metric) + " (" +
         escape(verdict.metric_reason) + ").\n\n";
}

// The source's notes (a bandit's counting, a platform's rounding) are among the assumptions
// under the table, as they bear on every number.
std::string srm_text(const analysis::ExperimentResult& experiment) {
  if (experiment.adaptive_allocation) {
    return "Sample ratio: not applied, because the allocation adapts (see the assumptions "
           "below).\n\n";
  }
  if (!experiment.srm) {
    return "Sample ratio: not checked (fewer than two variations with visitors).\n\n";
  }
  const analysis::SampleRatioCheck& srm = *experiment.srm;
  const std::string p = p_value(srm.p_value);
  std::string text = srm.flagged ? "**Sample ratio mismatch** (" + p +
                                       "): visitors are not split as allocated, so every number "
                                       "below may be biased until that is explained"
                                 : "Sample ratio: visitors split as allocated (" + p + ")";
  if (srm.allocation_assumed_equal) {
    text += "; the allocation is unknown, so an equal split is assumed";
  }
  return text + ".\n\n";
}

// Too few visitors or orders for the verdict rule to call the comparison (a control, or a
// variant without one, on its own visitors).
bool low_data(const analysis::CellResult& cell, const analysis::CellResult* control,
              const analysis::VerdictRule& rule) {
  if (control == nullptr || cell.is_control) {
    return cell.n_visitors < rule.min_visitors;
  }
  return analysis::low_data_reason(cell, *control, rule).has_value();
}

// What the vendor reported: the value for the control, uplift and P(beat control) for a
// variant, with a drift mark and its reason as a footnote.
std::string vendor_text(const analysis::CellResult& cell, const ValueFormat& format,
                        Footnotes& notes) {
  if (!cell.reported) {
    return "";
  }
  const model::ReportedMetric& reported = *cell.reported;
  std::string text;
  if (reported.whole_null) {
    text = "null";
  } else if (cell.is_control || !reported.uplift) {
    text = format(reported.value);
  } else {
    text = signed_percent(reported.uplift->value) + ", " + probability(reported.p2bc);
    if (!reported.p2bc) {
      text += " (vendor: low data)";
    }
  }
  if (cell.drift && cell.drift->flagged) {
    text += " **DRIFT**" + notes.mark("Drift: " + cell.drift->reason);
  }
  return text;
}

std::string value_interval(const analysis::CellResult& cell, const ValueFormat& format) {
  return cell.ci_low && cell.ci_high ? format(cell.ci_low) + " to " + format(cell.ci_high) : "-";
}

struct TestContext {
  const ReportInputs& inputs;
  const analysis::ExperimentResult& experiment;
  Footnotes& notes;
  // Assumptions of every number in the metrics table: said once below it, not footnoted.
  std::vector<std::string> shared = {};
};

std::vector<std::string> metric_row(const TestContext& test, const analysis::CellResult& cell,
                                    const analysis::CellResult* control) {
  const ValueFormat format =
      value_format(cell.metric, lookup(test.inputs.currency, test.experiment.id));
  const analysis::UpliftEstimate uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
  // Footnotes are numbered in reading order: the vendor's column comes before the notes.
  const std::string vendor = vendor_text(cell, format, test.notes);
  std::string note = low_data(cell, control, test.inputs.results.options.verdict) ? "LOW DATA" : "";
  for (const std::string& assumption : cell.assumptions) {
    if (std::find(test.shared.begin(), test.shared.end(), assumption) == test.shared.end()) {
      note += test.notes.mark(assumption);
    }
  }
  const bool variant = !cell.is_control;
  return {metric_words(cell.metric),
          name_of(test.experiment, cell.variation_id),
          util::format_count(cell.n_visitors),
          format(cell.value),
          value_interval(cell, format),
          variant ? signed_percent(uplift.value) : "control",
          variant ? percent_interval(uplift.ci_low, uplift.ci_high) : "",
          variant ? probability(cell.prob_beat_control) : "",
          probability(cell.prob_best),
          loss(cell.expected_loss),
          vendor,
          note};
}

// The metrics of the whole population, the primary one first, then in the order analysed.
std::vector<std::string> metric_order(const analysis::ExperimentResult& experiment) {
  std::vector<std::string> metrics;
  if (experiment.verdict) {
    metrics.push_back(experiment.verdict->metric);
  }
  for (const analysis::CellResult& cell : experiment.cells) {
    if (cell.slice.is_overall() &&
        std::find(metrics.begin(), metrics.end(), cell.metric) == metrics.end()) {
      metrics.push_back(cell.metric);
    }
  }
  return metrics;
}

// The assumptions every whole-population cell of the test makes (the prior, the draws).
std::vector<std::string> shared_assumptions(const analysis::ExperimentResult& experiment) {
  std::vector<std::string> shared;
  bool first = true;
  for (const analysis::CellResult& cell : experiment.cells) {
    if (!cell.slice.is_overall()) {
      continue;
    }
    if (first) {
      shared = cell.assumptions;
      first = false;
    }
    std::erase_if(shared, [&](const std::string& assumption) {
      return std::find(cell.assumptions.begin(), cell.assumptions.end(), assumption) ==
             cell.assumptions.end();
    });
  }
  return shared;
}

std::string metrics_table(TestContext test) {
  test.shared = shared_assumptions(test.experiment);
  const std::string level =
      util::format_fixed(test.inputs.results.options.sampling.level * 100.0, 0) + " %";
  std::string out =
      "### Metrics\n\n" +
      header({"Metric", "Variation", ">Visitors", ">Value", ">" + level + " interval", ">Uplift",
              ">Uplift " + level + " interval", ">P(beat control)", ">P(best)", ">Expected loss",
              "Vendor (uplift, P(beat control))", "Notes"});
  for (const std::string& metric : metric_order(test.experiment)) {
    const analysis::CellResult* control = nullptr;
    for (const analysis::CellResult& cell : test.experiment.cells) {
      if (cell.slice.is_overall() && cell.metric == metric && cell.is_control) {
        control = &cell;
      }
    }
    for (const analysis::CellResult& cell : test.experiment.cells) {
      if (cell.slice.is_overall() && cell.metric == metric) {
        out += row(metric_row(test, cell, control));
      }
    }
  }
  if (!test.shared.empty()) {
    std::string joined;
    for (const std::string& assumption : test.shared) {
      joined += (joined.empty() ? "" : "; ") + escape(assumption);
    }
    out += "\nEvery number above assumes: " + joined + ".\n";
  }
  return out + "\n";
}

template <class Item>
const Item* find_by_id(const std::vector<Item>& items, const std::string& id) {
  const auto found =
      std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.id == id; });
  return found == items.end() ? nullptr : &*found;
}

std::string test_section(const ReportInputs& inputs, std::size_t index) {
  const analysis::ExperimentResult& experiment = inputs.results.experiments[index];
  std::string out = "## " + escape(display_name(experiment)) + "\n\n";
  std::string facts = "`" + experiment.id + "` · " + escape(experiment.source);
  if (!experiment.status.empty()) {
    facts += " · " + escape(experiment.status);
  }
  facts += " · " + runtime(experiment);
  if (const std::string health = lookup(inputs.health, experiment.id); !health.empty()) {
    facts += " · health: " + escape(health);
  }
  out += facts + "\n\n" + headline(experiment) + srm_text(experiment);
  Footnotes notes(index);
  out += metrics_table({inputs, experiment, notes});
  if (inputs.segments != nullptr) {
    if (const auto* segments = find_by_id(inputs.segments->experiments, experiment.id)) {
      out += segments_section(*segments, *inputs.segments);
    }
  }
  if (inputs.temporal != nullptr) {
    if (const auto* timeline = find_by_id(inputs.temporal->experiments, experiment.id)) {
      out += temporal_section(*timeline);
    }
  }
  const std::string definitions = notes.definitions();
  return out + (definitions.empty() ? "" : definitions + "\n");
}

} // namespace

std::string render_report_markdown(const ReportInputs& inputs) {
  std::string out = intro(inputs.results) + index_table(inputs);
  for (std::size_t i = 0; i < inputs.results.experiments.size(); ++i) {
    out += test_section(inputs, i);
  }
  return out + glossary();
}

} // namespace reckon::report
