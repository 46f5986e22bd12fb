#pragma once

#include "reckon/model/experiment.hpp"

#include <string>

namespace reckon::model {

// One figure a source reported, with the cell it belongs to: what `reckon check` keeps of
// each run so that later runs can show how the vendor's figures moved.
struct ReportedFigure {
  std::string experiment_id;
  Slice slice;
  std::string variation_id;
  ReportedMetric reported; // `name` is the metric
};

} // namespace reckon::model
