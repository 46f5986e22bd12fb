#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::analysis {

// What one comparison of a variation with the control says, oriented so that a positive
// uplift is good news even for lower-is-better metrics (abandonment).
struct Evidence {
  std::optional<double> p2bc;
  std::optional<double> uplift;
  std::optional<double> uplift_low;
  std::optional<double> uplift_high;
};

enum class Direction {
  better,  // p2bc >= threshold and uplift above the band
  worse,   // 1 - p2bc >= threshold and uplift below the band
  flat,    // the whole uplift interval inside the band
  unclear, // none of these, or a number missing
};

Direction direction_of(const Evidence& evidence, const VerdictRule& rule);

// The evidence of a variant cell, its uplift flipped for lower-is-better metrics.
Evidence evidence_of(const CellResult& variant);

// Why a comparison of `variant` with `control` has too little data for a verdict (fewer
// visitors in an arm than the rule's minimum, or fewer orders in both together), or nullopt:
// the data part of TOO EARLY, shown as LOW DATA beside the numbers it concerns.
std::optional<std::string> low_data_reason(const CellResult& variant, const CellResult& control,
                                           const VerdictRule& rule);

// "WINNER", "LOSER", "FLAT", "KEEP RUNNING", "TOO EARLY".
std::string_view verdict_label(Verdict verdict);

// The primary metric (the vendor's named one where it has statistics, else gross profit per
// visitor where costs are known, else revenue per visitor, else conversion; the first metric of
// `--metric` when given) and the verdict of each variation on the overall slice. Absent when
// the experiment has no overall cell with a control.
std::optional<TestVerdict> decide_test(const model::Experiment& experiment,
                                       const ExperimentResult& result,
                                       const AnalysisOptions& options);

} // namespace reckon::analysis
