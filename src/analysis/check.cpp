#include "reckon/analysis/check.hpp"

#include "check_rules.hpp"

#include "reckon/stats/gaussian_effect.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reckon::analysis {

bool CheckReport::any_failure() const {
  return std::any_of(experiments.begin(), experiments.end(), [](const ExperimentCheck& e) {
    return std::any_of(e.checks.begin(), e.checks.end(),
                       [](const CheckOutcome& c) { return !c.failures.empty(); });
  });
}

namespace {

// The smallest K at least `settings.tolerance_k` that keeps the chance of any false alarm among
// `comparisons` independent Normal differences at `family_alpha`.
double effective_k(const CheckSettings& settings, std::uint64_t comparisons) {
  if (settings.family_alpha <= 0.0 || comparisons == 0) {
    return settings.tolerance_k;
  }
  const double per_comparison = settings.family_alpha / static_cast<double>(comparisons);
  return std::max(settings.tolerance_k, stats::normal_two_sided_z(1.0 - per_comparison));
}

} // namespace

CheckReport check_results(Results& results, const model::Dataset& dataset,
                          const CheckSettings& settings) {
  CheckReport report;
  report.settings = settings;
  const std::vector<detail::NullRule> null_rules = settings.fixed_null_rule
                                                       ? detail::fixed_null_rules(settings)
                                                       : detail::infer_null_rules(dataset);
  if (!settings.fixed_null_rule) {
    for (const detail::NullRule& rule : null_rules) {
      report.null_boundaries.push_back(rule.boundary);
    }
  }
  for (ExperimentResult& experiment : results.experiments) {
    for (CellResult& cell : experiment.cells) {
      cell.drift = detail::cell_drift(cell, results.options, settings);
      report.comparisons += cell.drift ? cell.drift->fields.size() : 0;
    }
  }
  report.effective_k = effective_k(settings, report.comparisons);
  // The two-sided level each comparison is held to, for fields whose noise is estimated.
  const double level = std::erf(report.effective_k / std::numbers::sqrt2);
  for (std::size_t e = 0; e < results.experiments.size(); ++e) {
    ExperimentResult& experiment = results.experiments[e];
    const model::Experiment& data = dataset.experiments[e];
    ExperimentCheck checked{experiment.id, experiment.name, {}};

    CheckOutcome drift{"drift", "reported statistics agree with the recomputed ones", 0, {}};
    for (CellResult& cell : experiment.cells) {
      if (!cell.drift) {
        continue;
      }
      detail::judge_drift(*cell.drift, report.effective_k, level);
      ++drift.examined;
      if (cell.drift->flagged) {
        drift.failures.push_back({cell.slice, cell.metric, cell.variation_id, cell.drift->reason});
      }
    }
    report.drift_examined += drift.examined;
    report.drift_flagged += drift.failures.size();
    checked.checks.push_back(std::move(drift));
    checked.checks.push_back(detail::check_value_matches_counts(data));
    checked.checks.push_back(detail::check_uplift_is_ratio(data));
    checked.checks.push_back(detail::check_control_complements_variant(data));
    checked.checks.push_back(detail::check_p2bc_equals_p2bb(data));
    checked.checks.push_back(detail::check_p2bb_sums_to_one(data));
    checked.checks.push_back(detail::check_null_exactly_when_low(data, settings, null_rules));
    checked.checks.push_back(detail::check_segments_within_overall(data));
    report.experiments.push_back(std::move(checked));
  }
  return report;
}

} // namespace reckon::analysis
