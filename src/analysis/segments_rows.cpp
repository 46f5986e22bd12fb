#include "segments_assembly.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::analysis::detail {
namespace {

// LOW DATA when the rule's minimum orders (both arms) or visitors (each arm) is not met.
std::optional<std::string> low_data_reason(const SegmentRow& row, const VerdictRule& rule) {
  const std::uint64_t orders = row.control_orders + row.variant_orders;
  if (orders < rule.min_orders) {
    return std::to_string(orders) + " orders in variant and control, under --min-orders " +
           std::to_string(rule.min_orders);
  }
  const std::uint64_t visitors = std::min(row.control_visitors, row.variant_visitors);
  if (visitors < rule.min_visitors) {
    return std::to_string(visitors) + " visitors in an arm, under --min-visitors " +
           std::to_string(rule.min_visitors);
  }
  return std::nullopt;
}

SegmentCall call(const Evidence& evidence, const SegmentRow& row, const VerdictRule& rule) {
  SegmentCall result{evidence, SegmentVerdict::inconclusive, {}};
  if (std::optional<std::string> reason = low_data_reason(row, rule)) {
    result.verdict = SegmentVerdict::low_data;
    result.reason = std::move(*reason);
    return result;
  }
  switch (direction_of(evidence, rule)) {
  case Direction::better:
    result.verdict = SegmentVerdict::winner;
    break;
  case Direction::worse:
    result.verdict = SegmentVerdict::loser;
    break;
  case Direction::flat:
    result.verdict = SegmentVerdict::flat;
    break;
  case Direction::unclear:
    break;
  }
  return result;
}

SegmentRow make_row(const model::Slice& slice, const CellResult& variant, const CellResult& control,
                    const VerdictRule& rule) {
  SegmentRow row;
  row.dimension = slice.segment_type;
  row.segment = slice.segment;
  row.variation_id = variant.variation_id;
  row.metric = variant.metric;
  row.control_visitors = control.n_visitors;
  row.variant_visitors = variant.n_visitors;
  row.control_orders = control.n_orders;
  row.variant_orders = variant.n_orders;
  row.control_value = control.value;
  row.variant_value = variant.value;
  row.p2bb = variant.prob_best;
  row.p2bc_se = variant.prob_beat_control_se;
  row.p2bb_se = variant.prob_best_se;
  row.uplift_ci_se = variant.uplift_ci_se;
  row.raw = call(evidence_of(variant), row, rule);
  if (!row.raw.evidence.uplift && row.raw.reason.empty()) {
    row.raw.reason = variant.assumptions.empty() ? "no uplift" : variant.assumptions.back();
  }
  return row;
}

// Shrinks the rows of one dimension (one variation, one metric) toward the overall uplift.
void pool(std::span<SegmentRow> rows, const std::optional<LogUplift>& overall,
          const SegmentOptions& options) {
  std::vector<LogUplift> estimates;
  for (const SegmentRow& row : rows) {
    if (std::optional<LogUplift> estimate = log_uplift_of(row.raw.evidence, options.level)) {
      estimates.push_back(*estimate);
    }
  }
  const std::optional<TauPosterior> tau =
      overall ? std::optional<TauPosterior>(tau_posterior(estimates, *overall)) : std::nullopt;
  for (SegmentRow& row : rows) {
    const std::optional<LogUplift> estimate = log_uplift_of(row.raw.evidence, options.level);
    if (!overall || !estimate) {
      row.pooled.verdict = row.raw.verdict == SegmentVerdict::low_data
                               ? SegmentVerdict::low_data
                               : SegmentVerdict::inconclusive;
      row.pooled.reason = overall ? "the segment's uplift has no interval to pool"
                                  : "the overall uplift has no interval to pool toward";
      continue;
    }
    const ShrunkUplift shrunk = shrink_hierarchically(*estimate, *overall, *tau);
    row.shrinkage = shrunk.shrinkage;
    // The raw evidence is oriented so that up is good (evidence_of turns lower-is-better
    // metrics around), and so is everything pooled from it.
    const Evidence evidence = evidence_from_log({shrunk.estimate, shrunk.standard_error},
                                                options.level, stats::Direction::higher_is_better);
    row.pooled = call(evidence, row, options.rule);
  }
}

} // namespace

std::optional<LogUplift> log_uplift_of(const Evidence& evidence, double level) {
  if (!evidence.uplift || !evidence.uplift_low || !evidence.uplift_high) {
    return std::nullopt;
  }
  return log_uplift_from_interval(*evidence.uplift, *evidence.uplift_low, *evidence.uplift_high,
                                  level);
}

const std::string& control_id(const ExperimentSegments& segments) {
  const auto control =
      std::find_if(segments.variations.begin(), segments.variations.end(),
                   [](const model::Variation& variation) { return variation.is_control; });
  assert(control != segments.variations.end());
  return control->id;
}

void add_rows(ExperimentSegments& segments, const CellIndex& index, const SegmentOptions& options) {
  const std::string& control = control_id(segments);
  for (const std::string& metric : segments.metrics) {
    for (const model::Variation& variation : segments.variations) {
      const CellResult* overall = index.find(model::Slice::overall(), metric, variation.id);
      if (variation.is_control || overall == nullptr) {
        continue;
      }
      segments.overall.push_back(*overall);
      const Evidence overall_evidence = evidence_of(*overall);
      const std::optional<LogUplift> overall_log = log_uplift_of(overall_evidence, options.level);
      std::size_t dimension_start = segments.rows.size();
      for (const model::Slice& slice : index.segments()) {
        const CellResult* variant = index.find(slice, metric, variation.id);
        const CellResult* base = index.find(slice, metric, control);
        if (variant == nullptr || base == nullptr) {
          continue;
        }
        if (segments.rows.size() > dimension_start &&
            segments.rows.back().dimension != slice.segment_type) {
          pool(std::span(segments.rows).subspan(dimension_start), overall_log, options);
          dimension_start = segments.rows.size();
        }
        SegmentRow row = make_row(slice, *variant, *base, options.rule);
        row.contradiction = overall_evidence.uplift && row.raw.evidence.uplift &&
                            contradicts(*overall_evidence.uplift, *row.raw.evidence.uplift,
                                        options.rule.neutral_band);
        segments.rows.push_back(std::move(row));
      }
      pool(std::span(segments.rows).subspan(dimension_start), overall_log, options);
    }
  }
}

} // namespace reckon::analysis::detail
