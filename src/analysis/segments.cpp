#include "reckon/analysis/segments.hpp"

#include "segments_assembly.hpp"

#include "reckon/analysis/metrics.hpp"

#include <algorithm>
#include <map>

namespace reckon::analysis {
namespace {

constexpr std::string_view k_fallback_metric = "net_revenue_per_visitor";

bool is_segment(const model::Slice& slice) {
  return !slice.is_overall() && slice.date.empty() && slice.segment_type != "day";
}

// The verdict's metric, else revenue per visitor, else the first metric analysed.
std::vector<std::string> metrics_of(const ExperimentResult& experiment,
                                    const SegmentOptions& options) {
  if (!options.metrics.empty()) {
    return options.metrics;
  }
  if (experiment.verdict && !experiment.verdict->metric.empty()) {
    return {experiment.verdict->metric};
  }
  const auto analysed = [&](std::string_view name) {
    return std::any_of(experiment.cells.begin(), experiment.cells.end(),
                       [&](const CellResult& cell) { return cell.metric == name; });
  };
  if (analysed(k_fallback_metric) || experiment.cells.empty()) {
    return {std::string(k_fallback_metric)};
  }
  return {experiment.cells.front().metric};
}

} // namespace

std::string_view segment_verdict_label(SegmentVerdict verdict) {
  switch (verdict) {
  case SegmentVerdict::winner:
    return "WINNER";
  case SegmentVerdict::loser:
    return "LOSER";
  case SegmentVerdict::flat:
    return "FLAT";
  case SegmentVerdict::inconclusive:
    return "INCONCLUSIVE";
  case SegmentVerdict::low_data:
    return "LOW DATA";
  }
  return "";
}

namespace detail {

CellIndex::CellIndex(const ExperimentResult& experiment) {
  for (const CellResult& cell : experiment.cells) {
    m_cells.emplace(Key{cell.slice, cell.metric, cell.variation_id}, &cell);
    if (is_segment(cell.slice)) {
      const auto known = std::find(m_slices.begin(), m_slices.end(), cell.slice);
      if (known == m_slices.end()) {
        m_slices.push_back(cell.slice);
      }
    }
  }
  // Dimensions in order of first appearance, segments within a dimension likewise: the
  // source's order, which is the vendor's.
  std::map<std::string, std::size_t> rank;
  for (const model::Slice& slice : m_slices) {
    rank.emplace(slice.segment_type, rank.size());
  }
  std::stable_sort(m_slices.begin(), m_slices.end(),
                   [&](const model::Slice& a, const model::Slice& b) {
                     return rank.at(a.segment_type) < rank.at(b.segment_type);
                   });
}

const CellResult* CellIndex::find(const model::Slice& slice, const std::string& metric,
                                  const std::string& variation_id) const {
  const auto found = m_cells.find(Key{slice, metric, variation_id});
  return found == m_cells.end() ? nullptr : found->second;
}

} // namespace detail

SegmentsReport analyze_segments(const Results& results, const SegmentOptions& options) {
  SegmentsReport report;
  report.options = results.options;
  report.segment_options = options;
  for (const ExperimentResult& experiment : results.experiments) {
    // Built as an aggregate: GCC 12 misreads member-wise assignment of the optionals here as
    // a read of uninitialised memory (-Wmaybe-uninitialized).
    ExperimentSegments segments{experiment.id,
                                experiment.name,
                                experiment.source,
                                experiment.runtime_days,
                                experiment.variations,
                                experiment.verdict,
                                metrics_of(experiment, options),
                                {},
                                {},
                                {},
                                false,
                                experiment.srm,
                                {},
                                {},
                                {}};
    const detail::CellIndex index(experiment);
    detail::add_rows(segments, index, options);
    detail::add_sample_ratio_checks(segments, index);
    detail::add_dimension_checks(segments, options);
    detail::add_chance_counts(segments, index, options);
    detail::add_rollouts(segments, index);
    report.experiments.push_back(std::move(segments));
  }
  return report;
}

} // namespace reckon::analysis
