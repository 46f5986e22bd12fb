#include "reckon/report/results_output.hpp"

#include "text_table.hpp"

#include "reckon/util/number_format.hpp"

#include <cstddef>

namespace reckon::report {
namespace {

constexpr const char* k_missing = "-";

std::string percent(std::optional<double> fraction, bool signed_value = false) {
  if (!fraction) {
    return k_missing;
  }
  std::string text = signed_value && *fraction >= 0.0 ? "+" : "";
  text += util::format_fixed(*fraction * 100.0, 2);
  text += "%";
  return text;
}

std::string percent_interval(std::optional<double> low, std::optional<double> high,
                             bool signed_value = false) {
  if (!low || !high) {
    return k_missing;
  }
  std::string text = "[";
  text += percent(low, signed_value);
  text += ", ";
  text += percent(high, signed_value);
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

} // namespace

std::string render_results_table(const analysis::Results& results) {
  std::string out;
  const std::string level = util::format_fixed(results.options.sampling.level * 100.0, 0) + "%";
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    out += describe_experiment(experiment) + "\n";
    std::size_t i = 0;
    while (i < experiment.cells.size()) {
      const model::Slice& slice = experiment.cells[i].slice;
      const std::string& metric = experiment.cells[i].metric;
      TextTable table({"variation", "visitors", "orders", metric, level + " interval", "uplift",
                       "uplift " + level + " interval", "P(beat control)", "P(best)"});
      for (; i < experiment.cells.size() && experiment.cells[i].slice == slice &&
             experiment.cells[i].metric == metric;
           ++i) {
        const analysis::CellResult& cell = experiment.cells[i];
        const auto uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
        table.add_row(
            {cell.variation_id, std::to_string(cell.n_visitors), std::to_string(cell.n_orders),
             percent(cell.value), percent_interval(cell.ci_low, cell.ci_high),
             cell.uplift ? percent(uplift.value, true) : k_missing,
             cell.uplift ? percent_interval(uplift.ci_low, uplift.ci_high, true) : k_missing,
             cell.is_control ? "control" : probability(cell.prob_beat_control),
             probability(cell.prob_best)});
      }
      out += "\n  " + describe_slice(slice) + "\n" + table.render("    ");
    }
    out += "\n";
  }
  return out;
}

} // namespace reckon::report
