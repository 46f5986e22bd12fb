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

// The sources whose statistics are identified from their own figures, not the drift rule's.
constexpr std::string_view k_identified_sources[] = {
    "platform",
};

bool is_identified(std::string_view source) {
  return std::find(std::begin(k_identified_sources), std::end(k_identified_sources), source) !=
         std::end(k_identified_sources);
}

// The figures of `experiment_id` that its source's identified method cannot produce.
CheckOutcome vendor_method_outcome(const std::vector<VendorMethodReport>& methods,
                                   const model::Experiment& experiment) {
  CheckOutcome outcome{"vendor_method",
                       "reported figures are ones the source's identified method can produce",
                       0,
                       {}};
  for (const VendorMethodReport& method : methods) {
    if (method.source != experiment.source) {
      continue;
    }
    for (const auto& [id, figures] : method.checked) {
      outcome.examined += id == experiment.id ? figures : 0;
    }
    for (const VendorDrift& drift : method.drift) {
      if (drift.experiment_id == experiment.id) {
        outcome.failures.push_back(
            {model::Slice::overall(), "conversion_rate", drift.variation_id, drift.detail});
      }
    }
  }
  return outcome;
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
  for (const std::string_view source : k_identified_sources) {
    if (auto method = identify_vendor_method(dataset, source)) {
      report.vendor_methods.push_back(std::move(*method));
    }
  }
  for (ExperimentResult& experiment : results.experiments) {
    if (is_identified(experiment.source)) {
      continue;
    }
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
    ExperimentCheck checked{experiment.id, experiment.name, experiment.source, {}};
    if (is_identified(data.source)) {
      checked.checks.push_back(vendor_method_outcome(report.vendor_methods, data));
      checked.checks.push_back(detail::check_segments_within_overall(data));
      report.experiments.push_back(std::move(checked));
      continue;
    }

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
