#pragma once

#include "reckon/analysis/segments.hpp"

#include <map>
#include <tuple>

// The steps of analyze_segments, each filling one part of an experiment's segment report.
namespace reckon::analysis::detail {

// An experiment's cells by slice, metric and variation, and its segment slices in the
// source's order, grouped by dimension.
class CellIndex {
public:
  explicit CellIndex(const ExperimentResult& experiment);
  const CellResult* find(const model::Slice& slice, const std::string& metric,
                         const std::string& variation_id) const;
  const std::vector<model::Slice>& segments() const { return m_slices; }

private:
  using Key = std::tuple<model::Slice, std::string, std::string>;
  std::map<Key, const CellResult*> m_cells;
  std::vector<model::Slice> m_slices;
};

// The log uplift behind evidence with an interval at `level`.
std::optional<LogUplift> log_uplift_of(const Evidence& evidence, double level);

// The position of a variation in the experiment's variation order.
std::size_t variation_index(const ExperimentSegments& segments, const std::string& id);
// The overall cell of a variation on a metric, if analysed.
const CellResult* overall_cell(const ExperimentSegments& segments, const std::string& metric,
                               const std::string& variation_id);
// Visitors of every arm in a slice, in variation order (0 where an arm has no cell).
std::vector<std::uint64_t> arm_visitors(const ExperimentSegments& segments, const CellIndex& index,
                                        const model::Slice& slice);

// The control variation's id.
const std::string& control_id(const ExperimentSegments& segments);

// One row per segment x non-control variation x metric, with raw and partially pooled calls
// and whether it contradicts the overall result; and the overall cells.
void add_rows(ExperimentSegments& segments, const CellIndex& index, const SegmentOptions& options);
void add_sample_ratio_checks(ExperimentSegments& segments, const CellIndex& index);
// Heterogeneity and the Simpson check per dimension x variation x metric.
void add_dimension_checks(ExperimentSegments& segments, const SegmentOptions& options);
void add_chance_counts(ExperimentSegments& segments, const CellIndex& index,
                       const SegmentOptions& options);
// Opportunity of winning rows and the rollout call per variation, on the first metric.
void add_rollouts(ExperimentSegments& segments, const CellIndex& index);

} // namespace reckon::analysis::detail
