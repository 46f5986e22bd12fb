#include "reckon/report/results_output.hpp"

#include "text_table.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <string_view>
#include <tuple>

namespace reckon::report {
namespace {

constexpr const char* k_missing = "-";

// How one metric's values read: rates as percentages, money with the currency, other amounts
// as plain numbers. Interval bounds carry no unit: the value beside them shows it.
struct ValueFormat {
  enum class Unit { percent, money, plain };
  Unit unit = Unit::plain;
  std::string currency;

  std::string bound(double value) const {
    return unit == Unit::percent ? util::format_fixed(value * 100.0, 2)
                                 : util::format_grouped(value, 2);
  }
  std::string value(std::optional<double> value) const {
    if (!value) {
      return k_missing;
    }
    if (unit == Unit::percent) {
      return bound(*value) + " %";
    }
    if (unit == Unit::plain || currency.empty()) {
      return bound(*value);
    }
    // "$2.83", "-$1.20"; a bare code reads "EUR 2.83".
    const bool is_code =
        currency.size() == 3 &&
        std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    std::string text = *value < 0.0 ? "-" : "";
    text += is_code ? currency + " " : currency;
    return text + util::format_grouped(std::abs(*value), 2);
  }
};

// Money is what revenue, profit and discounts add up; units and order counts are not.
ValueFormat value_format(const std::string& metric, const std::string& currency) {
  const std::optional<analysis::MetricDefinition> definition = analysis::find_metric(metric);
  if (definition && definition->kind == analysis::MetricKind::rate_over_visitors) {
    return {ValueFormat::Unit::percent, {}};
  }
  const bool money = definition && (definition->amount == analysis::Amount::revenue ||
                                    definition->amount == analysis::Amount::profit ||
                                    metric.find("revenue") != std::string::npos ||
                                    metric.find("profit") != std::string::npos ||
                                    metric.find("discount") != std::string::npos);
  return {money ? ValueFormat::Unit::money : ValueFormat::Unit::plain, currency};
}

template <typename Format>
std::string interval(std::optional<double> low, std::optional<double> high, Format format) {
  if (!low || !high) {
    return k_missing;
  }
  std::string text = "[";
  text += format(*low);
  text += ", ";
  text += format(*high);
  text += "]";
  return text;
}

// An uplift bound in percent without its unit: "+7.4", "-10.5".
std::string signed_percent(double fraction) {
  std::string text = fraction >= 0.0 ? "+" : "";
  text.append(util::format_fixed(fraction * 100.0, 1));
  return text;
}

std::string probability(std::optional<double> p) {
  return p ? util::format_probability(*p) : k_missing;
}

// Expected loss is relative to the control's value: a small percentage.
std::string loss(std::optional<double> fraction) {
  if (!fraction) {
    return k_missing;
  }
  if (*fraction < 0.00005) {
    return "<0.01 %";
  }
  return util::format_fixed(*fraction * 100.0, 2) + " %";
}

std::string variation_name(const analysis::ExperimentResult& experiment, const std::string& id) {
  for (const model::Variation& variation : experiment.variations) {
    if (variation.id == id && !variation.name.empty()) {
      return variation.name;
    }
  }
  return id;
}

std::uint64_t overall_visitors(const analysis::ExperimentResult& experiment) {
  std::uint64_t visitors = 0;
  const analysis::CellResult* first = nullptr;
  for (const analysis::CellResult& cell : experiment.cells) {
    if (cell.slice.is_overall() && (!first || cell.metric == first->metric)) {
      first = first ? first : &cell;
      visitors += cell.n_visitors;
    }
  }
  return visitors;
}

// "Name (id)", then what the test is: status, runtime, visitors, sample ratio.
std::string describe_experiment(const analysis::ExperimentResult& experiment, std::size_t width) {
  std::string title = experiment.name;
  if (experiment.name != experiment.id) {
    title += " (" + experiment.id + ")";
  }
  std::string facts = experiment.status.empty() ? "" : experiment.status + ", ";
  facts += std::to_string(experiment.variations.size()) + " variations";
  if (experiment.runtime_days) {
    facts += ", " + std::to_string(*experiment.runtime_days) + " days";
  }
  facts += ", " + util::format_count(overall_visitors(experiment)) + " visitors";
  if (experiment.srm) {
    facts += ", sample ratio p = " + util::format_fixed(experiment.srm->p_value, 4);
    if (experiment.srm->allocation_assumed_equal) {
      facts += " (equal split assumed)";
    }
    if (experiment.srm->flagged) {
      facts += "  ** SAMPLE RATIO MISMATCH **";
    }
  }
  // A source other than the two Reckon began with is named; a test without data says so.
  if (experiment.source != "intelligems" && experiment.source != "counts_csv") {
    facts = "from " + experiment.source + ", " + facts;
  }
  if (experiment.cells.empty()) {
    facts += "; not analysed: the source gave no results yet";
  }
  std::string text =
      util::wrap_words(title, "", "  ", width) + util::wrap_words(facts, "  ", "    ", width);
  for (const std::string& note : experiment.notes) {
    text += util::wrap_words("note: " + note, "  ", "    ", width);
  }
  return text;
}

// The answer first: each variation's verdict on the primary metric, and why.
std::string describe_verdict(const analysis::ExperimentResult& experiment, std::size_t width) {
  if (!experiment.verdict) {
    return {};
  }
  const analysis::TestVerdict& verdict = *experiment.verdict;
  std::string text = util::wrap_words(
      "verdict on " + verdict.metric + " (" + verdict.metric_reason + ")", "  ", "    ", width);
  std::size_t name_width = 0;
  for (const analysis::VariationVerdict& variation : verdict.variations) {
    name_width =
        std::max(name_width, display_width(variation_name(experiment, variation.variation_id)));
  }
  for (const analysis::VariationVerdict& variation : verdict.variations) {
    std::string name = variation_name(experiment, variation.variation_id);
    name.append(name_width - display_width(name), ' ');
    std::string label(analysis::verdict_label(variation.verdict));
    label.resize(std::string_view("KEEP RUNNING").size(), ' ');
    text +=
        util::wrap_words(name + "  " + label + "  " + variation.reason, "    ", "      ", width);
  }
  return text;
}

// Overall, then segments, then days, then segments on a day; each kind in a fixed order, so
// that the input's order never shows.
std::tuple<int, std::string, std::string, std::string> slice_order(const model::Slice& slice) {
  if (slice.is_overall()) {
    return {0, "", "", ""};
  }
  if (slice.segment_type == "day") {
    return {2, slice.segment, "", ""};
  }
  return {slice.date.empty() ? 1 : 3, slice.date, slice.segment_type, slice.segment};
}

std::string describe_slice(const model::Slice& slice) {
  if (slice.is_overall()) {
    return "overall";
  }
  if (slice.segment_type == "day") {
    return "day " + slice.segment;
  }
  return slice.segment_type + " = " + slice.segment +
         (slice.date.empty() ? "" : " on " + slice.date);
}

// The cells to show, in reading order: by slice, then the primary metric first and the others
// in the order they came, then the variations as they came.
std::vector<const analysis::CellResult*> reading_order(const analysis::ExperimentResult& experiment,
                                                       TableScope scope) {
  std::map<std::string, std::size_t, std::less<>> metric_rank;
  if (experiment.verdict) {
    metric_rank.emplace(experiment.verdict->metric, 0);
  }
  std::vector<const analysis::CellResult*> cells;
  for (const analysis::CellResult& cell : experiment.cells) {
    metric_rank.emplace(cell.metric, metric_rank.size());
    if (scope == TableScope::every_slice || cell.slice.is_overall()) {
      cells.push_back(&cell);
    }
  }
  std::stable_sort(cells.begin(), cells.end(), [&](const auto* a, const auto* b) {
    return std::tuple(slice_order(a->slice), metric_rank.at(a->metric)) <
           std::tuple(slice_order(b->slice), metric_rank.at(b->metric));
  });
  return cells;
}

struct TableColumns {
  bool counts = false; // visitors and orders per arm
  std::string level;   // "95 %"
};

TextTable empty_table(const TableColumns& columns) {
  std::vector<std::string> header{"variation"};
  if (columns.counts) {
    header.insert(header.end(), {"visitors", "orders"});
  }
  header.insert(header.end(), {"verdict", "value", columns.level + " CI", "uplift",
                               columns.level + " CI", "P(beat)", "P(best)", "E(loss)"});
  return TextTable(std::move(header));
}

std::vector<std::string> cell_row(const analysis::ExperimentResult& experiment,
                                  const analysis::CellResult& cell, const TableColumns& columns) {
  const ValueFormat format = value_format(cell.metric, experiment.currency);
  std::string verdict = cell.is_control ? "control" : "";
  if (experiment.verdict && cell.slice.is_overall() && cell.metric == experiment.verdict->metric) {
    for (const analysis::VariationVerdict& variation : experiment.verdict->variations) {
      verdict = variation.variation_id == cell.variation_id
                    ? std::string(analysis::verdict_label(variation.verdict))
                    : verdict;
    }
  }
  const analysis::UpliftEstimate uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
  std::vector<std::string> row{variation_name(experiment, cell.variation_id)};
  if (columns.counts) {
    row.insert(row.end(), {util::format_count(cell.n_visitors), util::format_count(cell.n_orders)});
  }
  const auto bound = [&format](double value) { return format.bound(value); };
  row.insert(row.end(),
             {verdict, format.value(cell.value), interval(cell.ci_low, cell.ci_high, bound),
              uplift.value ? util::format_signed_percent(*uplift.value) : k_missing,
              interval(uplift.ci_low, uplift.ci_high, signed_percent),
              cell.is_control ? k_missing : probability(cell.prob_beat_control),
              probability(cell.prob_best), loss(cell.expected_loss)});
  return row;
}

std::string render_experiment(const analysis::ExperimentResult& experiment,
                              const TableLayout& layout, const TableColumns& columns) {
  std::string out = describe_experiment(experiment, layout.width);
  out += describe_verdict(experiment, layout.width);
  const std::vector<const analysis::CellResult*> cells = reading_order(experiment, layout.scope);
  std::size_t i = 0;
  while (i < cells.size()) {
    const model::Slice& slice = cells[i]->slice;
    TextTable table = empty_table(columns);
    for (; i < cells.size() && cells[i]->slice == slice;) {
      const std::string& metric = cells[i]->metric;
      const bool primary = experiment.verdict && experiment.verdict->metric == metric;
      table.add_section(metric + (primary ? " (primary):" : ":"));
      for (; i < cells.size() && cells[i]->slice == slice && cells[i]->metric == metric; ++i) {
        table.add_row(cell_row(experiment, *cells[i], columns));
      }
    }
    out += layout.scope == TableScope::every_slice ? "\n  " + describe_slice(slice) + "\n" : "\n";
    out += table.render("  ", layout.width);
  }
  return out + "\n";
}

class TablePieces final : public ResultsPieces {
public:
  TablePieces(const analysis::AnalysisOptions& options, const TableLayout& layout)
      : m_layout(layout), m_columns{layout.scope == TableScope::every_slice,
                                    util::format_fixed(options.sampling.level * 100.0, 0) + " %"} {}
  std::string begin() const override { return {}; }
  std::string experiment(const analysis::ExperimentResult& experiment,
                         std::size_t /*index*/) const override {
    return render_experiment(experiment, m_layout, m_columns);
  }
  std::string end(std::size_t /*count*/) const override { return {}; }

private:
  TableLayout m_layout;
  TableColumns m_columns;
};

} // namespace

std::unique_ptr<ResultsPieces> results_table_pieces(const analysis::AnalysisOptions& options,
                                                    const TableLayout& layout) {
  return std::make_unique<TablePieces>(options, layout);
}

std::string render_results_table(const analysis::Results& results, const TableLayout& layout) {
  return join_pieces(TablePieces(results.options, layout), results);
}

} // namespace reckon::report
