#include "reckon/report/results_output.hpp"

#include "text_table.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace reckon::report {
namespace {

constexpr const char* k_missing = "-";

// Built by appending, never by operator+ on temporaries, which GCC 12 misreads at -O3
// (a false -Wrestrict, GCC bug 105651).
std::string percent_text(double fraction, bool with_sign) {
  std::string text = with_sign && fraction >= 0.0 ? "+" : "";
  text.append(util::format_fixed(fraction * 100.0, 2));
  text.append("%");
  return text;
}

std::string percent(std::optional<double> fraction) {
  return fraction ? percent_text(*fraction, false) : k_missing;
}

std::string signed_percent(std::optional<double> fraction) {
  return fraction ? percent_text(*fraction, true) : k_missing;
}

std::string amount(std::optional<double> value) {
  return value ? util::format_fixed(*value, 2) : k_missing;
}

using Formatter = std::string (*)(std::optional<double>);

// Rates read as percentages, money as amounts.
Formatter value_formatter(const std::string& metric) {
  const std::optional<analysis::MetricDefinition> definition = analysis::find_metric(metric);
  const bool is_rate = definition && definition->kind == analysis::MetricKind::rate_over_visitors;
  return is_rate ? percent : amount;
}

std::string interval(std::optional<double> low, std::optional<double> high, Formatter format) {
  if (!low || !high) {
    return k_missing;
  }
  std::string text = "[";
  text += format(low);
  text += ", ";
  text += format(high);
  text += "]";
  return text;
}

std::string probability(std::optional<double> p) {
  return p ? util::format_fixed(*p, 3) : k_missing;
}

std::string describe_slice(const model::Slice& slice) {
  std::string text = slice.segment_type + " = " + slice.segment;
  if (!slice.date.empty()) {
    text += " on " + slice.date;
  }
  return text;
}

std::string describe_experiment(const analysis::ExperimentResult& experiment) {
  std::string text = experiment.id;
  if (experiment.name != experiment.id) {
    text += " (" + experiment.name + ")";
  }
  text += ": " + std::to_string(experiment.variations.size()) + " variations";
  if (experiment.runtime_days) {
    text += ", " + std::to_string(*experiment.runtime_days) + " days";
  }
  if (experiment.srm) {
    text += ", sample ratio p = " + util::format_fixed(experiment.srm->p_value, 4);
    if (experiment.srm->allocation_assumed_equal) {
      text += " (equal split assumed)";
    }
    if (experiment.srm->flagged) {
      text += "  ** SAMPLE RATIO MISMATCH **";
    }
  }
  return text;
}

std::string variation_name(const analysis::ExperimentResult& experiment, const std::string& id) {
  for (const model::Variation& variation : experiment.variations) {
    if (variation.id == id && !variation.name.empty()) {
      return variation.name;
    }
  }
  return id;
}

// The answer first: each variation's verdict on the primary metric, and why.
std::string describe_verdict(const analysis::ExperimentResult& experiment) {
  if (!experiment.verdict) {
    return {};
  }
  const analysis::TestVerdict& verdict = *experiment.verdict;
  std::string text = "  verdict on " + verdict.metric + " (" + verdict.metric_reason + ")\n";
  std::size_t width = 0;
  for (const analysis::VariationVerdict& variation : verdict.variations) {
    width = std::max(width, variation_name(experiment, variation.variation_id).size());
  }
  for (const analysis::VariationVerdict& variation : verdict.variations) {
    std::string name = variation_name(experiment, variation.variation_id);
    name.resize(width, ' ');
    std::string label(analysis::verdict_label(variation.verdict));
    label.resize(std::string_view("KEEP RUNNING").size(), ' ');
    text += "    " + name + "  " + label + "  " + variation.reason + "\n";
  }
  return text;
}

} // namespace

std::string render_results_table(const analysis::Results& results, TableScope scope) {
  std::string out;
  const std::string level = util::format_fixed(results.options.sampling.level * 100.0, 0) + "%";
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    out += describe_experiment(experiment) + "\n";
    out += describe_verdict(experiment);
    const model::Slice* previous_slice = nullptr;
    std::size_t i = 0;
    while (i < experiment.cells.size()) {
      const model::Slice& slice = experiment.cells[i].slice;
      if (scope == TableScope::overall_only && !slice.is_overall()) {
        ++i;
        continue;
      }
      const std::string& metric = experiment.cells[i].metric;
      const Formatter format_value = value_formatter(metric);
      TextTable table({"variation", "visitors", "orders", metric, level + " interval", "uplift",
                       "uplift " + level + " interval", "P(beat control)", "P(best)"});
      for (; i < experiment.cells.size() && experiment.cells[i].slice == slice &&
             experiment.cells[i].metric == metric;
           ++i) {
        const analysis::CellResult& cell = experiment.cells[i];
        const auto uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
        table.add_row(
            {cell.variation_id, std::to_string(cell.n_visitors), std::to_string(cell.n_orders),
             format_value(cell.value), interval(cell.ci_low, cell.ci_high, format_value),
             cell.uplift ? signed_percent(uplift.value) : k_missing,
             cell.uplift ? interval(uplift.ci_low, uplift.ci_high, signed_percent) : k_missing,
             cell.is_control ? "control" : probability(cell.prob_beat_control),
             probability(cell.prob_best)});
      }
      // Metrics of the same slice follow each other under one heading.
      out +=
          previous_slice && *previous_slice == slice ? "\n" : "\n  " + describe_slice(slice) + "\n";
      out += table.render("    ");
      previous_slice = &slice;
    }
    out += "\n";
  }
  return out;
}

} // namespace reckon::report
