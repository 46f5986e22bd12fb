#include "segments_assembly.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/stats/gaussian_effect.hpp"
#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <map>

namespace reckon::analysis::detail {
namespace {

// SRM is flagged below this p-value, as for whole tests.
constexpr double k_srm_threshold = 0.001;

std::uint64_t total(const std::vector<std::uint64_t>& counts) {
  std::uint64_t sum = 0;
  for (const std::uint64_t count : counts) {
    sum += count;
  }
  return sum;
}

} // namespace

std::size_t variation_index(const ExperimentSegments& segments, const std::string& id) {
  const auto found =
      std::find_if(segments.variations.begin(), segments.variations.end(),
                   [&](const model::Variation& variation) { return variation.id == id; });
  return static_cast<std::size_t>(found - segments.variations.begin());
}

const CellResult* overall_cell(const ExperimentSegments& segments, const std::string& metric,
                               const std::string& variation_id) {
  const auto found =
      std::find_if(segments.overall.begin(), segments.overall.end(), [&](const CellResult& cell) {
        return cell.metric == metric && cell.variation_id == variation_id;
      });
  return found == segments.overall.end() ? nullptr : &*found;
}

// Visitors of every arm in a slice, in variation order (0 where an arm has no cell).
std::vector<std::uint64_t> arm_visitors(const ExperimentSegments& segments, const CellIndex& index,
                                        const model::Slice& slice) {
  std::vector<std::uint64_t> visitors;
  for (const model::Variation& variation : segments.variations) {
    const CellResult* cell = index.find(slice, segments.metrics.front(), variation.id);
    visitors.push_back(cell == nullptr ? 0 : cell->n_visitors);
  }
  return visitors;
}

void add_sample_ratio_checks(ExperimentSegments& segments, const CellIndex& index) {
  std::vector<double> allocation;
  for (const model::Variation& variation : segments.variations) {
    segments.allocation_assumed_equal = segments.allocation_assumed_equal || !variation.allocation;
  }
  for (const model::Variation& variation : segments.variations) {
    allocation.push_back(segments.allocation_assumed_equal ? 1.0 : *variation.allocation);
  }
  for (const model::Slice& slice : index.segments()) {
    const std::vector<std::uint64_t> visitors = arm_visitors(segments, index, slice);
    if (const std::optional<stats::SampleRatioTest> test =
            stats::sample_ratio_test(visitors, allocation, k_srm_threshold)) {
      segments.srm.push_back({slice.segment_type, slice.segment, *test});
    }
  }
}

// Simpson-style reversal: the pooled uplift and the post-stratified one (every segment's arms
// weighted by the segment's share of the pooled visitors, so that a segment mix that differs
// between arms cannot move it) lie beyond the band on opposite sides.
void add_dimension_checks(ExperimentSegments& segments, const SegmentOptions& options) {
  auto begin = segments.rows.begin();
  while (begin != segments.rows.end()) {
    const auto end = std::find_if(begin, segments.rows.end(), [&](const SegmentRow& row) {
      return row.dimension != begin->dimension || row.variation_id != begin->variation_id ||
             row.metric != begin->metric;
    });
    DimensionCheck check{begin->dimension, begin->variation_id, begin->metric, {}, {}, {}, false};
    std::vector<LogUplift> estimates;
    std::vector<Stratum> strata;
    double visitors = 0.0;
    for (auto row = begin; row != end; ++row) {
      if (std::optional<LogUplift> estimate = log_uplift_of(row->raw.evidence, options.level)) {
        estimates.push_back(*estimate);
      }
      if (row->control_value && row->variant_value) {
        const auto pooled = static_cast<double>(row->control_visitors + row->variant_visitors);
        strata.push_back({*row->control_value, *row->variant_value, pooled});
        visitors += pooled;
      }
    }
    for (Stratum& stratum : strata) {
      stratum.share /= visitors;
    }
    check.heterogeneity = heterogeneity(estimates);
    if (const CellResult* overall = overall_cell(segments, check.metric, check.variation_id);
        overall != nullptr && overall->uplift) {
      check.pooled_uplift = overall->uplift->value;
    }
    check.post_stratified_uplift = strata.empty() ? std::nullopt : post_stratified_uplift(strata);
    check.reversal =
        check.pooled_uplift && check.post_stratified_uplift &&
        contradicts(*check.pooled_uplift, *check.post_stratified_uplift, options.rule.neutral_band);
    segments.dimensions.push_back(std::move(check));
    begin = end;
  }
}

namespace {

// Where each segment sits for the chance count: its dimension's index and its own within it,
// and every segment's share of the experiment's visitors.
struct ChanceLayout {
  std::vector<ChanceDimension> dimensions;
  std::map<model::Slice, std::pair<std::size_t, std::size_t>> positions;
};

ChanceLayout chance_layout(const ExperimentSegments& segments, const CellIndex& index) {
  ChanceLayout layout;
  const double everyone =
      static_cast<double>(total(arm_visitors(segments, index, model::Slice::overall())));
  std::string dimension;
  for (const model::Slice& slice : index.segments()) {
    if (layout.dimensions.empty() || dimension != slice.segment_type) {
      dimension = slice.segment_type;
      layout.dimensions.emplace_back();
    }
    const double visitors = static_cast<double>(total(arm_visitors(segments, index, slice)));
    layout.positions[slice] = {layout.dimensions.size() - 1, layout.dimensions.back().size()};
    layout.dimensions.back().push_back(everyone > 0.0 ? std::min(1.0, visitors / everyone) : 0.0);
  }
  return layout;
}

} // namespace

void add_chance_counts(ExperimentSegments& segments, const CellIndex& index,
                       const SegmentOptions& options) {
  const ChanceLayout layout = chance_layout(segments, index);
  const std::size_t control = variation_index(segments, control_id(segments));
  for (const std::string& metric : segments.metrics) {
    ChanceSummary summary;
    summary.metric = metric;
    std::vector<ChanceComparison> comparisons;
    for (SegmentRow& row : segments.rows) {
      if (row.metric != metric) {
        continue;
      }
      summary.winners_found += row.raw.verdict == SegmentVerdict::winner ? 1 : 0;
      summary.losers_found += row.raw.verdict == SegmentVerdict::loser ? 1 : 0;
      summary.pooled_winners_found += row.pooled.verdict == SegmentVerdict::winner ? 1 : 0;
      const std::optional<LogUplift> estimate = log_uplift_of(row.raw.evidence, options.level);
      if (row.raw.verdict == SegmentVerdict::low_data || !estimate) {
        continue;
      }
      const auto [dimension, segment] =
          layout.positions.at(model::Slice{row.dimension, row.segment, {}});
      const ChanceComparison comparison{dimension,
                                        segment,
                                        variation_index(segments, row.variation_id),
                                        static_cast<double>(row.variant_visitors),
                                        static_cast<double>(row.control_visitors),
                                        winner_z(estimate->standard_error, options.rule)};
      row.false_win_chance = stats::prob_positive(-comparison.winner_z, 1.0);
      comparisons.push_back(comparison);
    }
    summary.eligible = comparisons.size();
    const std::uint64_t seed =
        util::stable_hash({segments.id, metric, std::to_string(options.seed)});
    summary.chance = chance_count(layout.dimensions, comparisons, segments.variations.size(),
                                  control, options.chance_draws, seed);
    summary.within_chance = static_cast<double>(summary.winners_found) <= summary.chance.expected;
    summary.losers_within_chance =
        static_cast<double>(summary.losers_found) <= summary.chance.expected;
    segments.chance.push_back(std::move(summary));
  }
}

} // namespace reckon::analysis::detail
