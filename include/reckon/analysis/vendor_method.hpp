#pragma once

#include "reckon/model/experiment.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Which statistics a source that does not document them computes, identified from its own
// reported figures (issue 16): the experimentation platform reports, per two-variant test, each
// variant's conversion rate with an interval, the improvement, a "confidence" and whether it is
// significant, every number a rounded percentage. Rounding is uncertainty: every conversion
// count that rounds to the shown rate is possible, and a candidate reproduces a figure when
// some such count (or pair of counts) gives exactly the shown figure after the vendor's rounding.
namespace reckon::analysis {

// The candidates for the "confidence", in the order ties are resolved.
enum class VendorTest {
  z_pooled_two_sided,   // 1 - p of the pooled two-proportion z-test
  z_unpooled_two_sided, // the same with each arm's own variance
  z_pooled_one_sided,   // Phi(z): one-sided, variant above control
  z_unpooled_one_sided,
  welch_two_sided, // Welch's t on 0/1 outcomes (n - 1 variances, Welch-Satterthwaite df)
  welch_one_sided,
  bayes_beta_uniform, // P(variant rate > control rate) with Beta(1, 1) priors
};
// Each variant's interval: Wald p +- z sqrt(p (1 - p) / n), Wilson's score interval, or the
// equal-tailed interval of the Beta(1 + x, 1 + n - x) posterior.
enum class VendorInterval { wald, wilson, beta };
// The improvement from the counts (unrounded rates) or from the rates as shown.
enum class ImprovementBasis { counts, shown_rates };

std::string_view describe(VendorTest test);
std::string_view describe(VendorInterval interval);
std::string_view describe(ImprovementBasis basis);

// How many of the figures of one kind a candidate reproduces, over all checked experiments.
struct CandidateFit {
  std::string candidate; // "two-sided z-test, pooled", "Wald 90 %", ...
  std::uint64_t reproduced = 0;
  std::uint64_t figures = 0;
};

// One aspect of the method (test, interval, improvement, significance threshold): every
// candidate's fit, in candidate order, and the best (the first of the most reproducing).
struct AspectFit {
  std::string aspect; // "confidence", "intervals", "improvement", "is_significant"
  std::vector<CandidateFit> candidates;
  std::size_t best = 0;
  // Candidates that reproduce as many figures as the best: these data cannot tell them apart.
  std::vector<std::size_t> tied;
};

// A reported figure that the identified method cannot produce with any possible counts.
struct VendorDrift {
  std::string experiment_id;
  std::string variation_id;
  std::string field;  // "confidence", "ci_low", "ci_high", "improvement", "is_significant"
  std::string detail; // "confidence reported 97.0 %; the method gives 79.6 to 80.9 % ..."
};

struct VendorMethodReport {
  std::string source;
  // Decimals the source writes rates and intervals, improvements and confidences with.
  int rate_decimals = 0;
  int improvement_decimals = 0;
  int confidence_decimals = 0;
  std::uint64_t experiments = 0; // experiments whose figures were used
  VendorTest test = VendorTest::z_pooled_two_sided;
  VendorInterval interval = VendorInterval::wald;
  double interval_level = 0.95;
  ImprovementBasis improvement = ImprovementBasis::counts;
  double significance_threshold = 0.95; // is_significant when confidence >= this
  std::vector<AspectFit> aspects;       // confidence, intervals, improvement, is_significant
  std::vector<VendorDrift> drift;
  // The experiments whose figures were used, with how many figures each gave.
  std::vector<std::pair<std::string, std::uint64_t>> checked;
  // Experiments of the source whose figures could not be used, with the reason.
  std::vector<std::pair<std::string, std::string>> not_checked;

  // Figures reproduced by the identified method, and figures in all.
  std::uint64_t reproduced() const;
  std::uint64_t figures() const;
  // "two-sided z-test, unpooled; Wald 90 % intervals; improvement from the counts;
  // significant at 95 %; rounded to 1 decimal".
  std::string summary() const;
};

// Identifies the method of `source`'s conversion-rate figures across all of its experiments
// in `dataset` (overall cells of two-variant tests whose variant reports a confidence), then
// lists the figures it cannot produce. Nullopt when no experiment of the source has such
// figures.
std::optional<VendorMethodReport> identify_vendor_method(const model::Dataset& dataset,
                                                         std::string_view source);

} // namespace reckon::analysis
