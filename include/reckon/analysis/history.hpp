#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/reported_figure.hpp"

#include <span>
#include <string>
#include <vector>

namespace reckon::analysis {

// A reported number that changed between an earlier check run and now.
struct ReportedMove {
  std::string experiment_id;
  model::Slice slice;
  std::string metric;
  std::string variation_id;
  std::string field; // "value", "p2bb", "ci_low", "uplift.ci_high", ...
  std::optional<double> then;
  std::optional<double> now;
  // A closed day window should never change once the vendor has processed it.
  bool closed_window = false;
};

// Every reported number of `earlier` that differs in `current` (null on one side counts as a
// change; a cell missing now is not). Day slices are the closed windows.
std::vector<ReportedMove> reported_moves(std::span<const model::ReportedFigure> earlier,
                                         const Results& current);

} // namespace reckon::analysis
