#pragma once

#include "reckon/analysis/temporal.hpp"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace reckon::analysis::temporal_detail {

// Slice types of the pooled cells the temporal view adds to an experiment's own.
inline constexpr const char* k_day_type = "day_type";
inline constexpr const char* k_day_of_week = "day_of_week";
inline constexpr const char* k_cumulative = "cumulative";

// An experiment reduced to what the temporal view analyses: its overall cell (where a spread is
// borrowed from), its day cells in date order, and the pooled cells built from them.
struct TimelineInput {
  model::Experiment experiment;
  std::vector<TemporalDay> days;
  // The day cells of each traffic-source dimension: dimension -> date -> label -> visitors.
  std::map<std::string, std::map<std::string, std::map<std::string, std::uint64_t>>> sources;
};

// Nullopt when the experiment has no day slices.
std::optional<TimelineInput> timeline_input(const model::Experiment& experiment);

// The re-analysed cells of one experiment, by slice, metric and variation.
class CellIndex {
public:
  explicit CellIndex(const std::vector<CellResult>& cells);
  const CellResult* find(const model::Slice& slice, const std::string& metric,
                         const std::string& variation) const;

private:
  std::map<std::tuple<model::Slice, std::string, std::string>, const CellResult*> m_cells;
};

// The weekend's uplift against the weekday's from joint draws of the four posteriors.
DayTypeContrast contrast_day_types(const TimelineInput& input, const CellIndex& cells,
                                   const std::string& metric, const std::string& variation,
                                   const AnalysisOptions& options);

// The trend of the daily uplift over the day index.
UpliftTrend uplift_trend(const std::vector<CellResult>& days, double level);

// Each traffic source's daily share against the daily uplift.
std::vector<SourceCorrelation> source_correlations(const TimelineInput& input,
                                                   const std::vector<CellResult>& days);

} // namespace reckon::analysis::temporal_detail
