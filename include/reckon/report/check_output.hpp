#pragma once

#include "reckon/analysis/check.hpp"
#include "reckon/analysis/history.hpp"

#include <vector>

#include <string>

namespace reckon::report {

// For people: a summary per experiment and check, then every failure with its numbers.
std::string render_check_table(const analysis::CheckReport& report);

// The `reckon.check/v1` document: settings, a summary, and every check of every experiment
// with its failures.
std::string render_check_json(const analysis::CheckReport& report);

// JUnit XML, so CI systems show the checks natively: one <testsuite> per experiment, one
// <testcase> per check, a <failure> carrying the numbers of each check that failed.
std::string render_check_junit(const analysis::CheckReport& report);

// How the vendor's reported figures moved since an earlier run, closed day windows first.
std::string render_reported_moves(const std::vector<analysis::ReportedMove>& moves,
                                  const std::string& since);

} // namespace reckon::report
