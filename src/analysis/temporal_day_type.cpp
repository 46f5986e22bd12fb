#include "cell_analysis.hpp"
#include "temporal_parts.hpp"

#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <array>

namespace reckon::analysis::temporal_detail {
namespace {

const model::CountsCell* find_cell(const model::Experiment& experiment, const model::Slice& slice) {
  const auto found =
      std::find_if(experiment.cells.begin(), experiment.cells.end(),
                   [&](const model::CountsCell& cell) { return cell.slice == slice; });
  return found == experiment.cells.end() ? nullptr : &*found;
}

const model::CountsCell* overall_cell(const model::Experiment& experiment) {
  return find_cell(experiment, model::Slice::overall());
}

// The control's and the variant's posteriors in one pooled slice, as the cell's own analysis
// built them; or why there are none.
struct PairChoice {
  std::optional<stats::ArmPair> pair;
  std::string reason;
};

PairChoice posterior_pair(const model::Experiment& experiment, const model::CountsCell& cell,
                          const MetricDefinition& metric, std::size_t variant,
                          const AnalysisOptions& options) {
  const model::CountsCell* parent = overall_cell(experiment);
  const std::size_t control = experiment.control_index();
  std::array<std::optional<stats::ArmPosterior>, 2> found;
  for (std::size_t k = 0; k < 2; ++k) {
    const std::size_t arm = k == 0 ? control : variant;
    const detail::ArmPosteriorChoice choice = detail::bayesian_posterior(
        metric, cell.arms[arm], parent != nullptr ? &parent->arms[arm] : nullptr, options.prior);
    if (!choice.posterior) {
      return {std::nullopt, "no posterior for " + cell.arms[arm].variation_id + " on " +
                                cell.slice.segment + "s"};
    }
    found[k] = choice.posterior;
  }
  return {stats::ArmPair{*found[0], *found[1]}, {}};
}

// How sure the weekend-against-weekday difference must be to be named.
constexpr double k_call_confidence = 0.95;

bool holds_zero(const CellResult& cell) {
  return cell.uplift && cell.uplift->ci_low && cell.uplift->ci_high &&
         *cell.uplift->ci_low <= 0.0 && *cell.uplift->ci_high >= 0.0;
}

std::string call_of(const DayTypeContrast& contrast) {
  const double p = contrast.difference->prob_second_better.value;
  if (p >= k_call_confidence) {
    return holds_zero(contrast.weekday) ? "weekend only" : "better at weekends";
  }
  if (p <= 1.0 - k_call_confidence) {
    return holds_zero(contrast.weekend) ? "weekday only" : "better on weekdays";
  }
  return "same on both";
}

} // namespace

DayTypeContrast contrast_day_types(const TimelineInput& input, const CellIndex& cells,
                                   const std::string& metric, const std::string& variation,
                                   const AnalysisOptions& options) {
  DayTypeContrast contrast;
  const model::Slice weekday{k_day_type, "weekday", {}};
  const model::Slice weekend{k_day_type, "weekend", {}};
  const CellResult* weekday_result = cells.find(weekday, metric, variation);
  const CellResult* weekend_result = cells.find(weekend, metric, variation);
  if (weekday_result == nullptr || weekend_result == nullptr) {
    contrast.difference_reason =
        weekday_result == nullptr && weekend_result == nullptr
            ? "no days"
            : (weekday_result == nullptr ? "no weekdays among the days"
                                         : "no weekend days among the days");
    if (weekday_result != nullptr) {
      contrast.weekday = *weekday_result;
    }
    if (weekend_result != nullptr) {
      contrast.weekend = *weekend_result;
    }
    return contrast;
  }
  contrast.weekday = *weekday_result;
  contrast.weekend = *weekend_result;
  const std::optional<MetricDefinition> definition = find_metric(metric);
  if (!definition || !weekday_result->prob_beat_control || !weekend_result->prob_beat_control) {
    contrast.difference_reason = "a pooled slice has no statistics on " + metric;
    return contrast;
  }
  const model::Experiment& experiment = input.experiment;
  const auto variant = static_cast<std::size_t>(
      std::find_if(experiment.variations.begin(), experiment.variations.end(),
                   [&](const model::Variation& v) { return v.id == variation; }) -
      experiment.variations.begin());
  const PairChoice weekdays =
      posterior_pair(experiment, *find_cell(experiment, weekday), *definition, variant, options);
  const PairChoice weekends =
      posterior_pair(experiment, *find_cell(experiment, weekend), *definition, variant, options);
  if (!weekdays.pair || !weekends.pair) {
    contrast.difference_reason = weekdays.pair ? weekends.reason : weekdays.reason;
    return contrast;
  }
  const std::uint64_t stream =
      util::stable_hash({experiment.id, k_day_type, "weekend-weekday", variation, metric});
  contrast.difference = stats::compare_uplift_difference(
      *weekdays.pair, *weekends.pair, options.sampling, stream, definition->direction);
  if (!contrast.difference) {
    contrast.difference_reason = "a control draw of zero leaves an uplift undefined";
    return contrast;
  }
  contrast.call = call_of(contrast);
  return contrast;
}

} // namespace reckon::analysis::temporal_detail
