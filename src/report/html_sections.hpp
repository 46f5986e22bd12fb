#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/report/html_report.hpp"

#include <string>
#include <vector>

namespace reckon::report::html {

// Numbers the charts of the page, so that each container names its spec.
class ChartCounter {
public:
  // `<figure>` with the chart's container and its spec as JSON data.
  std::string place(const HtmlChart& chart);
  int count() const { return m_count; }

private:
  int m_count = 0;
};

// The anchor of an experiment's section: "test-1", "test-2"... in page order.
std::string section_anchor(std::size_t index);

// One experiment's section: headline verdict, metric table with its assumptions, the uplift
// posterior and any extra charts, SRM and the metrics left out.
std::string experiment_section(const HtmlReportInput& input, std::size_t index,
                               ChartCounter& charts);

// The classes of a verdict badge: "verdict v-keep-running".
std::string verdict_css(analysis::Verdict verdict);

// A variation's name, else its id.
std::string variation_name(const analysis::ExperimentResult& experiment, const std::string& id);

} // namespace reckon::report::html
