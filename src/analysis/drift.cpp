#include "check_rules.hpp"

#include "vendor_rounding.hpp"

#include "reckon/stats/gaussian_effect.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::analysis::detail {
namespace {

// The vendor's intervals are 95 %; bounds at another level cannot be compared.
constexpr double k_vendor_level = 0.95;

class DriftBuilder {
public:
  DriftBuilder(const CheckSettings& settings, double draws, double tail)
      : m_settings(settings), m_draws(draws), m_tail(tail) {}

  // A Monte Carlo probability: se_reported from the vendor's draws, at whichever of the two
  // estimates is nearer 1/2. Near 0 or 1 the binomial count is skewed and our estimate's
  // variance alone would call 7 hits in 10,000 a 7-sigma departure from 0.8 expected.
  void probability(const char* field, std::optional<double> reported,
                   std::optional<double> recomputed, std::optional<double> se_ours) {
    if (!reported || !recomputed) {
      return;
    }
    const auto variance = [](double p) {
      p = std::clamp(p, 0.0, 1.0);
      return p * (1.0 - p);
    };
    const double se_reported =
        std::sqrt(std::max(variance(*recomputed), variance(*reported)) / vendor_draws());
    add(field, *reported, *recomputed, se_reported, se_ours.value_or(0.0), k_probability_rounding);
  }

  // A Monte Carlo quantile: the vendor's error is ours scaled to its draw count. When ours
  // was read from the spacing of m = sqrt(N q (1 - q)) draws around the quantile (not from a
  // known density), it is itself uncertain, by about 1 / sqrt(2 m): t with m degrees of freedom.
  void quantile(const char* field, std::optional<double> reported, std::optional<double> recomputed,
                std::optional<double> se_ours, bool error_from_density) {
    if (!reported || !recomputed || !se_ours) {
      return;
    }
    const double se_reported = *se_ours * std::sqrt(m_draws / vendor_draws());
    add(field, *reported, *recomputed, se_reported, *se_ours, rounding_allowance(*reported));
    if (!error_from_density) {
      m_drift.fields.back().degrees_of_freedom = std::sqrt(m_draws * m_tail * (1.0 - m_tail));
    }
  }

  // A ratio of point values: no Monte Carlo error, only the rounding of the values.
  void deterministic(const char* field, double reported, double recomputed, double allowance) {
    add(field, reported, recomputed, 0.0, 0.0, allowance);
  }

  CellDrift finish() { return std::move(m_drift); }

private:
  double vendor_draws() const { return static_cast<double>(m_settings.vendor_draws); }

  void add(const char* field, double reported, double recomputed, double se_reported,
           double se_ours, double rounding) {
    FieldDrift drift;
    drift.field = field;
    drift.reported = reported;
    drift.recomputed = recomputed;
    drift.noise = std::hypot(se_reported, se_ours);
    drift.rounding = rounding;
    m_drift.fields.push_back(std::move(drift));
  }

  const CheckSettings& m_settings;
  double m_draws;
  double m_tail; // the probability below an interval's lower bound
  CellDrift m_drift;
};

} // namespace

void judge_drift(CellDrift& drift, double k, double level) {
  drift.flagged = false;
  drift.reason.clear();
  for (FieldDrift& field : drift.fields) {
    const double field_k =
        field.degrees_of_freedom > 0.0
            ? std::max(k, stats::student_t_two_sided(level, field.degrees_of_freedom))
            : k;
    field.tolerance = field_k * field.noise + field.rounding;
    field.flagged = std::abs(field.recomputed - field.reported) > field.tolerance;
    if (field.flagged) {
      drift.flagged = true;
      drift.reason.append(drift.reason.empty() ? "" : "; ")
          .append(field.field)
          .append(" reported ")
          .append(util::format_round_trip(field.reported))
          .append(", recomputed ")
          .append(util::format_round_trip(field.recomputed))
          .append(" (tolerance ")
          .append(util::format_round_trip(field.tolerance))
          .append(")");
    }
  }
}

std::optional<CellDrift> cell_drift(const CellResult& cell, const AnalysisOptions& options,
                                    const CheckSettings& settings) {
  if (!cell.reported || cell.reported->whole_null) {
    return std::nullopt;
  }
  const model::ReportedMetric& reported = *cell.reported;
  DriftBuilder drift(settings, static_cast<double>(options.sampling.draws),
                     (1.0 - options.sampling.level) / 2.0);
  // Beta bounds take their error from the exact density (bayesian_cell.cpp).
  const bool beta = cell.model == "beta_binomial";
  drift.probability("p2bb", reported.p2bb, cell.prob_best, cell.prob_best_se);
  drift.probability("p2bc", reported.p2bc, cell.prob_beat_control, cell.prob_beat_control_se);
  const bool same_level = std::abs(options.sampling.level - k_vendor_level) < 1e-12;
  if (same_level) {
    const auto low = [](const std::optional<stats::Interval>& se) {
      return se ? std::optional<double>(se->low) : std::nullopt;
    };
    const auto high = [](const std::optional<stats::Interval>& se) {
      return se ? std::optional<double>(se->high) : std::nullopt;
    };
    drift.quantile("ci_low", reported.ci_low, cell.ci_low, low(cell.ci_se), beta);
    drift.quantile("ci_high", reported.ci_high, cell.ci_high, high(cell.ci_se), beta);
    if (reported.uplift && cell.uplift) {
      drift.quantile("uplift_ci_low", reported.uplift->ci_low, cell.uplift->ci_low,
                     low(cell.uplift_ci_se), false);
      drift.quantile("uplift_ci_high", reported.uplift->ci_high, cell.uplift->ci_high,
                     high(cell.uplift_ci_se), false);
    }
  }
  if (reported.uplift && reported.uplift->value && cell.uplift && cell.uplift->value &&
      cell.value && *cell.uplift->value != -1.0) {
    const double control = *cell.value / (1.0 + *cell.uplift->value);
    if (*cell.value != 0.0 && control != 0.0) {
      drift.deterministic("uplift", *reported.uplift->value, *cell.uplift->value,
                          uplift_rounding_allowance(*cell.value, control));
    }
  }
  CellDrift result = drift.finish();
  if (result.fields.empty()) {
    return std::nullopt;
  }
  return result;
}

} // namespace reckon::analysis::detail
