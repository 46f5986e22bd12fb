#include "segments_checks.hpp"

namespace reckon::report::detail {

const stats::SampleRatioTest* segment_srm(const analysis::ExperimentSegments& experiment,
                                          const std::string& dimension,
                                          const std::string& segment) {
  for (const analysis::SegmentSrm& srm : experiment.srm) {
    if (srm.dimension == dimension && srm.segment == segment) {
      return &srm.test;
    }
  }
  return nullptr;
}

bool whole_test_off(const analysis::ExperimentSegments& experiment) {
  return experiment.overall_srm && experiment.overall_srm->flagged;
}

bool segment_srm_flagged(const analysis::ExperimentSegments& experiment,
                         const analysis::SegmentRow& row) {
  const stats::SampleRatioTest* srm = segment_srm(experiment, row.dimension, row.segment);
  return srm != nullptr && srm->flagged && !whole_test_off(experiment);
}

} // namespace reckon::report::detail
