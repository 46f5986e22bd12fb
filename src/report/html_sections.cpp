#include "html_sections.hpp"

#include "html_context.hpp"
#include "html_posterior.hpp"
#include "html_text.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>

namespace reckon::report::html {
namespace {

using analysis::CellResult;
using analysis::ExperimentResult;

// The headline: each variant's verdict on the primary metric, with the reason in words.
std::string headline(const ExperimentResult& experiment) {
  if (!experiment.verdict) {
    return "<p class=\"headline\">No verdict: the test has no overall numbers with a "
           "control.</p>\n";
  }
  std::string out = "<div class=\"headline\">\n<p class=\"primary\">Primary metric: <b>" +
                    escape(experiment.verdict->metric) + "</b> <span class=\"why\">(" +
                    escape(experiment.verdict->metric_reason) + ")</span></p>\n<ul>\n";
  for (const analysis::VariationVerdict& variation : experiment.verdict->variations) {
    out += "<li><span class=\"" + verdict_css(variation.verdict) + "\" data-experiment=\"" +
           escape(experiment.id) + "\" data-variation=\"" + escape(variation.variation_id) + "\">" +
           escape(analysis::verdict_label(variation.verdict)) + "</span> <b>" +
           escape(variation_name(experiment, variation.variation_id)) + "</b> " +
           element("span", "why", variation.reason) + "</li>\n";
  }
  return out + "</ul>\n</div>\n";
}

// The overall metrics, the primary one first, the others in the order the analysis gave them.
std::vector<std::string> metric_order(const ExperimentResult& experiment) {
  std::vector<std::string> order;
  if (experiment.verdict) {
    order.push_back(experiment.verdict->metric);
  }
  for (const CellResult& cell : experiment.cells) {
    if (cell.slice.is_overall() &&
        std::find(order.begin(), order.end(), cell.metric) == order.end()) {
      order.push_back(cell.metric);
    }
  }
  return order;
}

// Numbers each distinct assumption of a test once, so that a row can point at its notes.
class Notes {
public:
  std::string marks(const std::vector<std::string>& assumptions) {
    std::string out;
    for (const std::string& assumption : assumptions) {
      auto found = std::find(m_notes.begin(), m_notes.end(), assumption);
      if (found == m_notes.end()) {
        m_notes.push_back(assumption);
        found = m_notes.end() - 1;
      }
      const std::string number = std::to_string(found - m_notes.begin() + 1);
      out += "<a class=\"note\" href=\"#" + m_prefix + number + "\" title=\"" + escape(assumption) +
             "\">" + number + "</a>";
    }
    return out;
  }
  explicit Notes(std::string prefix) : m_prefix(std::move(prefix)) {}
  std::string list() const {
    if (m_notes.empty()) {
      return {};
    }
    std::string out = "<ol class=\"notes\">\n";
    for (std::size_t i = 0; i < m_notes.size(); ++i) {
      out +=
          "<li id=\"" + m_prefix + std::to_string(i + 1) + "\">" + escape(m_notes[i]) + "</li>\n";
    }
    return out + "</ol>\n";
  }

private:
  std::string m_prefix;
  std::vector<std::string> m_notes;
};

bool drifted(const CellResult& cell, std::string_view field) {
  if (!cell.drift) {
    return false;
  }
  return std::any_of(cell.drift->fields.begin(), cell.drift->fields.end(),
                     [field](const analysis::FieldDrift& drift) {
                       return drift.flagged && drift.field.starts_with(field);
                     });
}

// One reported number, marked when the drift rule flagged it.
std::string reported_part(const CellResult& cell, std::string_view label, std::string_view field,
                          const std::string& text) {
  const bool mark = drifted(cell, field);
  std::string out = "<span class=\"" + std::string(mark ? "reported drift" : "reported") + "\"";
  if (mark) {
    out += " title=\"" + escape(cell.drift->reason) + "\"";
  }
  out += ">" + escape(label) + " " + escape(text) + (mark ? " ⚠" : "") + "</span>";
  return out;
}

std::string reported_numbers(const CellResult& cell) {
  if (!cell.reported || cell.reported->whole_null) {
    return cell.reported ? "<span class=\"muted\">null</span>" : "";
  }
  const model::ReportedMetric& reported = *cell.reported;
  std::string out;
  if (reported.value) {
    out += reported_part(cell, "value", "ci_", metric_value(cell.metric, reported.value));
  }
  if (reported.uplift && reported.uplift->value) {
    out += reported_part(cell, "uplift", "uplift", uplift(reported.uplift->value));
  }
  if (reported.p2bc) {
    out += reported_part(cell, "p2bc", "p2bc", probability(reported.p2bc));
  }
  if (reported.p2bb) {
    out += reported_part(cell, "p2bb", "p2bb", probability(reported.p2bb));
  }
  return out;
}

// A chance to win, coloured GrowthBook's way; a control's own chances are left plain.
std::string chance_cell(std::optional<double> p, bool coloured) {
  const std::string_view css = coloured ? chance_class(p) : std::string_view();
  return "<td class=\"num" + (css.empty() ? std::string() : " " + std::string(css)) + "\">" +
         escape(probability(p)) + "</td>";
}

// What every row of one test's table shares.
struct TableContext {
  const ExperimentResult& experiment;
  const analysis::VerdictRule& rule;
  Notes& notes;
  bool vendor = false; // a column for the vendor's numbers: the source reported some
};

std::string low_data_mark(const CellResult& cell, const CellResult* control,
                          const analysis::VerdictRule& rule) {
  if (control == nullptr || cell.is_control) {
    return {};
  }
  const auto reason = analysis::low_data_reason(cell, *control, rule);
  return reason ? " <span class=\"low-data\" title=\"" + escape(*reason) + "\">LOW DATA</span>"
                : std::string();
}

std::string metric_row(const TableContext& table, const CellResult& cell,
                       const CellResult* control) {
  const auto& up = cell.uplift;
  const std::string name = variation_name(table.experiment, cell.variation_id);
  // The control is marked unless its name already says so.
  const bool mark_control = cell.is_control && name.find("ontrol") == std::string::npos;
  std::string row =
      "<tr" + std::string(cell.is_control ? " class=\"control\"" : "") + "><td class=\"name\">" +
      escape(name) + (mark_control ? " <span class=\"muted\">(control)</span>" : "") +
      "</td><td class=\"num\">" + util::format_count(cell.n_visitors) + "</td><td class=\"num\">" +
      escape(metric_value(cell.metric, cell.value)) + "</td><td class=\"num muted\">" +
      escape(metric_interval(cell.metric, cell.ci_low, cell.ci_high)) + "</td><td class=\"num\">" +
      (up ? escape(uplift(up->value)) : std::string()) + low_data_mark(cell, control, table.rule) +
      "</td><td class=\"num muted\">" +
      (up ? escape(uplift_interval(up->ci_low, up->ci_high)) : std::string()) + "</td>" +
      (cell.is_control ? "<td></td>" : chance_cell(cell.prob_beat_control, true)) +
      chance_cell(cell.prob_best, !cell.is_control) + "<td class=\"num\">" +
      (cell.expected_loss ? escape(util::format_fixed(*cell.expected_loss, 4)) : "") + "</td>";
  if (table.vendor) {
    row += "<td class=\"vendor\">" + reported_numbers(cell) + "</td>";
  }
  return row + "<td class=\"notes\">" + table.notes.marks(cell.assumptions) + "</td></tr>\n";
}

const CellResult* overall_control(const ExperimentResult& experiment, const std::string& metric) {
  for (const CellResult& cell : experiment.cells) {
    if (cell.slice.is_overall() && cell.metric == metric && cell.is_control) {
      return &cell;
    }
  }
  return nullptr;
}

std::string metric_table(const ExperimentResult& experiment, const analysis::VerdictRule& rule,
                         Notes& notes) {
  const bool vendor = std::any_of(experiment.cells.begin(), experiment.cells.end(),
                                  [](const CellResult& cell) { return cell.reported.has_value(); });
  const TableContext table{experiment, rule, notes, vendor};
  std::string out =
      "<div class=\"scroll\"><table class=\"metrics\">\n<thead><tr><th>Variation</th>"
      "<th>Visitors</th><th>Value</th><th>Credible interval</th><th>Uplift</th>"
      "<th>Uplift interval</th><th>Chance to beat control</th><th>Chance to be best</th>"
      "<th>Expected loss</th>" +
      std::string(vendor ? "<th>Vendor reported</th>" : "") +
      "<th>Notes</th></tr></thead>\n<tbody>\n";
  const std::vector<std::string> order = metric_order(experiment);
  for (std::size_t m = 0; m < order.size(); ++m) {
    out += "<tr class=\"metric-head\"><th colspan=\"" + std::to_string(vendor ? 11 : 10) + "\">" +
           escape(order[m]) +
           (m == 0 && experiment.verdict ? " <span class=\"muted\">primary</span>" : "") +
           "</th></tr>\n";
    const CellResult* control = overall_control(experiment, order[m]);
    for (const CellResult& cell : experiment.cells) {
      if (cell.slice.is_overall() && cell.metric == order[m]) {
        out += metric_row(table, cell, control);
      }
    }
  }
  return out + "</tbody></table></div>\n";
}

std::string srm_block(const ExperimentResult& experiment) {
  if (experiment.adaptive_allocation) {
    return "<p class=\"srm\"><b>Sample ratio</b>: not applied, because the allocation adapts "
           "(see the notes under the table).</p>\n";
  }
  if (!experiment.srm) {
    return "<p class=\"srm\"><b>Sample ratio</b>: not checked (fewer than two variations with "
           "visitors).</p>\n";
  }
  const analysis::SampleRatioCheck& srm = *experiment.srm;
  return std::string("<p class=\"srm") + (srm.flagged ? " flagged" : "") +
         "\"><b>Sample ratio</b>: χ² = " + util::format_fixed(srm.chi2, 2) +
         ", p = " + util::format_fixed(srm.p_value, 4) + " — " +
         (srm.flagged ? "<b>mismatch</b>: visitors are not split as allocated; do not trust the "
                        "comparison until the cause is known"
                      : "no mismatch") +
         " (allocation " +
         (srm.allocation_assumed_equal ? "assumed equal: the source gave none"
                                       : "as the source "
                                         "gave it") +
         ").</p>\n";
}

std::string coverage_block(const ExperimentResult& experiment) {
  std::string items;
  for (const analysis::MetricCoverage& metric : experiment.metrics) {
    if (!metric.reanalysed) {
      items += "<li><b>" + escape(metric.name) + "</b>: " + escape(metric.reason) + "</li>\n";
    }
  }
  return items.empty() ? std::string()
                       : "<details><summary>Metrics not re-analysed</summary><ul>\n" + items +
                             "</ul></details>\n";
}

std::string test_meta(const ExperimentResult& experiment) {
  std::string meta = escape(experiment.source);
  if (experiment.runtime_days) {
    meta += " · " + std::to_string(*experiment.runtime_days) + " days";
  }
  if (!experiment.status.empty()) {
    meta += " · " + escape(experiment.status);
  }
  return "<p class=\"meta\">" + meta + " · id <code>" + escape(experiment.id) + "</code></p>\n";
}

} // namespace

std::string verdict_css(analysis::Verdict verdict) {
  std::string css = "verdict v-";
  for (const char c : analysis::verdict_label(verdict)) {
    css += c == ' ' ? '-' : static_cast<char>(c - 'A' + 'a');
  }
  return css;
}

std::string variation_name(const ExperimentResult& experiment, const std::string& id) {
  for (const model::Variation& variation : experiment.variations) {
    if (variation.id == id && !variation.name.empty()) {
      return variation.name;
    }
  }
  return id;
}

std::string section_anchor(std::size_t index) {
  return "test-" + std::to_string(index + 1);
}

std::string ChartCounter::place(const HtmlChart& chart) {
  const std::string id = "chart-" + std::to_string(++m_count);
  return "<figure class=\"chart-box\"><figcaption><b>" + escape(chart.title) + "</b> " +
         escape(chart.caption) + "</figcaption><div class=\"chart\" id=\"" + id +
         "\" data-spec=\"" + id + "-spec\"></div><script type=\"application/json\" id=\"" + id +
         "-spec\">" + script_json(chart.spec_json) + "</script></figure>\n";
}

std::string experiment_section(const HtmlReportInput& input, std::size_t index,
                               ChartCounter& charts) {
  const ExperimentResult& experiment = input.report.results.experiments[index];
  Notes notes(section_anchor(index) + "-note-");
  std::string out = "<section class=\"test\" id=\"" + section_anchor(index) + "\">\n<h2>" +
                    escape(experiment.name.empty() ? experiment.id : experiment.name) + "</h2>\n" +
                    test_meta(experiment) + headline(experiment);
  out += metric_table(experiment, input.report.results.options.verdict, notes);
  out += notes.list();
  if (experiment.verdict) {
    const auto densities =
        uplift_densities(experiment, experiment.verdict->metric, input.report.results.options);
    if (auto chart = uplift_posterior_chart(densities, experiment.verdict->metric)) {
      out += charts.place(*chart);
    }
  }
  for (const HtmlChart& chart : segment_and_day_charts(input, experiment)) {
    out += charts.place(chart);
  }
  out += segments_and_days(input, experiment);
  out += srm_block(experiment) + coverage_block(experiment);
  return out + "</section>\n";
}

} // namespace reckon::report::html
