#include "reckon/analysis/vendor_method.hpp"

#include "vendor_formulas.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

namespace reckon::analysis {
namespace {

using detail::ArmCount;

constexpr std::array k_tests{VendorTest::z_pooled_two_sided, VendorTest::z_unpooled_two_sided,
                             VendorTest::z_pooled_one_sided, VendorTest::z_unpooled_one_sided,
                             VendorTest::welch_two_sided,    VendorTest::welch_one_sided,
                             VendorTest::bayes_beta_uniform};
struct IntervalCandidate {
  VendorInterval kind;
  double level;
};
constexpr std::array<IntervalCandidate, 6> k_intervals{{{VendorInterval::wald, 0.90},
                                                        {VendorInterval::wald, 0.95},
                                                        {VendorInterval::wilson, 0.90},
                                                        {VendorInterval::wilson, 0.95},
                                                        {VendorInterval::beta, 0.90},
                                                        {VendorInterval::beta, 0.95}}};
constexpr std::array k_bases{ImprovementBasis::counts, ImprovementBasis::shown_rates};
constexpr std::array k_thresholds{0.95, 0.90, 0.99};
// Counts and pairs of counts tried per experiment: beyond these, evenly spaced ones (a test of
// millions of visitors leaves thousands of possible counts per arm, all but equivalent).
constexpr std::size_t k_max_counts = 2000;
constexpr std::size_t k_max_pairs = 20000;

using Pair = std::pair<std::uint64_t, std::uint64_t>; // control, variant conversions

// One two-variant test's conversion-rate figures, in percent as written.
struct Figures {
  std::string id;
  std::array<std::string, 2> variation_ids; // control, variant
  std::array<std::uint64_t, 2> visitors{};
  std::array<double, 2> rate{};
  std::array<std::optional<double>, 2> low;
  std::array<std::optional<double>, 2> high;
  std::optional<double> improvement;
  std::optional<double> confidence;
  std::optional<bool> significant;
  std::array<std::vector<std::uint64_t>, 2> counts; // possible conversions per arm
  std::vector<Pair> pairs;                          // possible pairs, after the improvement
};

bool rounds_to(double exact, double shown, int decimals) {
  const double half = 0.5 * std::pow(10.0, -decimals);
  return std::abs(exact - shown) <= half * (1.0 + 1e-9) + 1e-12;
}

std::optional<double> percent(std::optional<double> share) {
  return share ? std::optional(*share * 100.0) : std::nullopt;
}

// Every count of `visitors` whose rate rounds to `shown` %, at most k_max_counts of them.
std::vector<std::uint64_t> possible_counts(double shown, std::uint64_t visitors, int decimals) {
  const double n = static_cast<double>(visitors);
  const double half = 0.5 * std::pow(10.0, -decimals);
  const double low = std::max(0.0, std::floor((shown - half) * n / 100.0));
  const double high = std::min(n, std::ceil((shown + half) * n / 100.0));
  std::vector<std::uint64_t> counts;
  for (double x = low; x <= high; ++x) {
    if (rounds_to(100.0 * x / n, shown, decimals)) {
      counts.push_back(static_cast<std::uint64_t>(x));
    }
  }
  if (counts.size() > k_max_counts) {
    std::vector<std::uint64_t> spaced;
    for (std::size_t i = 0; i < k_max_counts; ++i) {
      spaced.push_back(counts[i * (counts.size() - 1) / (k_max_counts - 1)]);
    }
    counts = std::move(spaced);
  }
  return counts;
}

std::optional<Figures> gather(const model::Experiment& experiment, std::string& why) {
  const auto overall =
      std::find_if(experiment.cells.begin(), experiment.cells.end(),
                   [](const model::CountsCell& cell) { return cell.slice.is_overall(); });
  if (overall == experiment.cells.end()) {
    why = "no results (a draft, or results not fetched)";
    return std::nullopt;
  }
  if (experiment.variations.size() != 2) {
    why = std::to_string(experiment.variations.size()) +
          " variants: the source reports one improvement and confidence per metric, which "
          "cannot be attributed to one variant";
    return std::nullopt;
  }
  Figures figures;
  figures.id = experiment.id;
  const std::size_t control = experiment.control_index();
  for (std::size_t side = 0; side < 2; ++side) {
    const model::ArmCounts& arm = overall->arms[side == 0 ? control : 1 - control];
    const auto rate = std::find_if(arm.reported.begin(), arm.reported.end(),
                                   [](const auto& m) { return m.name == "conversion_rate"; });
    if (rate == arm.reported.end() || !rate->value || arm.visitors == 0) {
      why = "no conversion_rate reported with visitors";
      return std::nullopt;
    }
    figures.variation_ids[side] = arm.variation_id;
    figures.visitors[side] = arm.visitors;
    figures.rate[side] = *rate->value * 100.0;
    figures.low[side] = percent(rate->ci_low);
    figures.high[side] = percent(rate->ci_high);
    if (side == 1) {
      figures.improvement = percent(rate->uplift ? rate->uplift->value : std::nullopt);
      figures.confidence = percent(rate->confidence);
      figures.significant = rate->significant;
    }
  }
  if (!figures.confidence) {
    why = "the variant's conversion_rate carries no confidence";
    return std::nullopt;
  }
  return figures;
}

// What a candidate gives over the possible counts: whether one gives the shown figure, and
// the range it spans.
struct Evaluation {
  bool reproduced = false;
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();

  void add(double value, bool hit) {
    reproduced = reproduced || hit;
    low = std::min(low, value);
    high = std::max(high, value);
  }
};

// One reported figure and each candidate's evaluation of it.
struct FigureCheck {
  std::size_t experiment = 0;
  std::string variation_id;
  std::string field;
  std::string reported; // as written, with its unit
  std::vector<Evaluation> candidates;
};

AspectFit fit(std::string aspect, const std::vector<std::string>& names,
              const std::vector<FigureCheck>& checks) {
  AspectFit result{std::move(aspect), {}, 0, {}};
  for (std::size_t c = 0; c < names.size(); ++c) {
    CandidateFit candidate{names[c], 0, checks.size()};
    for (const FigureCheck& check : checks) {
      candidate.reproduced += check.candidates[c].reproduced ? 1 : 0;
    }
    result.candidates.push_back(std::move(candidate));
    if (result.candidates[c].reproduced > result.candidates[result.best].reproduced) {
      result.best = c;
    }
  }
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (result.candidates[c].reproduced == result.candidates[result.best].reproduced) {
      result.tied.push_back(c);
    }
  }
  return result;
}

std::string shown(double value, int decimals, std::string_view unit) {
  return util::format_fixed(value, decimals) + std::string(unit);
}

// Pairs of the possible counts, evenly spaced when there are more than k_max_pairs.
std::vector<Pair> grid_pairs(const Figures& f) {
  const auto side = static_cast<std::size_t>(std::sqrt(static_cast<double>(k_max_pairs)));
  const auto spaced = [side](const std::vector<std::uint64_t>& counts) {
    if (counts.size() <= side) {
      return counts;
    }
    std::vector<std::uint64_t> kept;
    for (std::size_t i = 0; i < side; ++i) {
      kept.push_back(counts[i * (counts.size() - 1) / (side - 1)]);
    }
    return kept;
  };
  std::vector<Pair> pairs;
  for (const std::uint64_t xc : spaced(f.counts[0])) {
    for (const std::uint64_t xt : spaced(f.counts[1])) {
      pairs.emplace_back(xc, xt);
    }
  }
  return pairs;
}

// The pairs of counts behind each test: those whose unrounded rates give the shown
// improvement when the vendor computes it from counts and some pair does; else all of them.
std::vector<FigureCheck> check_improvements(std::vector<Figures>& all, int decimals) {
  std::vector<FigureCheck> checks;
  for (std::size_t e = 0; e < all.size(); ++e) {
    Figures& f = all[e];
    const auto improvement = [&](std::uint64_t xc, std::uint64_t xt) {
      const double pc = static_cast<double>(xc) / static_cast<double>(f.visitors[0]);
      const double pt = static_cast<double>(xt) / static_cast<double>(f.visitors[1]);
      return pc > 0.0 ? std::optional(100.0 * (pt / pc - 1.0)) : std::nullopt;
    };
    std::vector<Pair> fitting;
    FigureCheck check{e, f.variation_ids[1], "improvement", "", {2, Evaluation{}}};
    for (const std::uint64_t xc : f.counts[0]) {
      for (const std::uint64_t xt : f.counts[1]) {
        const std::optional<double> value = improvement(xc, xt);
        if (value && f.improvement) {
          const bool hit = rounds_to(*value, *f.improvement, decimals);
          check.candidates[0].add(*value, hit);
          if (hit && fitting.size() < k_max_pairs) {
            fitting.emplace_back(xc, xt);
          }
        }
      }
    }
    if (fitting.empty()) {
      fitting = grid_pairs(f);
    }
    f.pairs = std::move(fitting);
    if (!f.improvement || f.rate[0] <= 0.0) {
      continue;
    }
    const double from_shown = 100.0 * (f.rate[1] / f.rate[0] - 1.0);
    check.candidates[1].add(from_shown, rounds_to(from_shown, *f.improvement, decimals));
    check.reported = shown(*f.improvement, decimals, " %");
    checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<FigureCheck> check_confidences(const std::vector<Figures>& all, int decimals) {
  std::vector<FigureCheck> checks;
  for (std::size_t e = 0; e < all.size(); ++e) {
    const Figures& f = all[e];
    FigureCheck check{e,
                      f.variation_ids[1],
                      "confidence",
                      shown(*f.confidence, decimals, " %"),
                      {k_tests.size(), Evaluation{}}};
    for (std::size_t t = 0; t < k_tests.size(); ++t) {
      for (const auto& [xc, xt] : f.pairs) {
        const double value =
            100.0 * detail::vendor_confidence(k_tests[t], {xc, f.visitors[0]}, {xt, f.visitors[1]});
        check.candidates[t].add(value, rounds_to(value, *f.confidence, decimals));
      }
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<FigureCheck> check_significance(const std::vector<Figures>& all, VendorTest test,
                                            int decimals) {
  std::vector<FigureCheck> checks;
  const double unit = std::pow(10.0, decimals);
  for (std::size_t e = 0; e < all.size(); ++e) {
    const Figures& f = all[e];
    if (!f.significant) {
      continue;
    }
    FigureCheck check{e,
                      f.variation_ids[1],
                      "is_significant",
                      *f.significant ? "true" : "false",
                      {k_thresholds.size(), Evaluation{}}};
    for (const auto& [xc, xt] : f.pairs) {
      const double value =
          100.0 * detail::vendor_confidence(test, {xc, f.visitors[0]}, {xt, f.visitors[1]});
      const double rounded = std::round(value * unit) / unit;
      for (std::size_t t = 0; t < k_thresholds.size(); ++t) {
        const bool significant = rounded >= 100.0 * k_thresholds[t] - 1e-9;
        check.candidates[t].add(value, significant == *f.significant);
      }
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<FigureCheck> check_intervals(const std::vector<Figures>& all, int decimals) {
  std::vector<FigureCheck> checks;
  for (std::size_t e = 0; e < all.size(); ++e) {
    const Figures& f = all[e];
    for (std::size_t side = 0; side < 2; ++side) {
      std::vector<std::uint64_t> counts;
      for (const Pair& pair : f.pairs) {
        counts.push_back(side == 0 ? pair.first : pair.second);
      }
      std::sort(counts.begin(), counts.end());
      counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
      for (const bool upper : {false, true}) {
        const std::optional<double>& bound = upper ? f.high[side] : f.low[side];
        if (!bound) {
          continue;
        }
        FigureCheck check{e,
                          f.variation_ids[side],
                          upper ? "ci_high" : "ci_low",
                          shown(*bound, decimals, " %"),
                          {k_intervals.size(), Evaluation{}}};
        for (std::size_t c = 0; c < k_intervals.size(); ++c) {
          for (const std::uint64_t x : counts) {
            const detail::RateInterval interval = detail::vendor_interval(
                k_intervals[c].kind, k_intervals[c].level, {x, f.visitors[side]});
            const double value = 100.0 * (upper ? interval.high : interval.low);
            check.candidates[c].add(value, rounds_to(value, *bound, decimals));
          }
        }
        checks.push_back(std::move(check));
      }
    }
  }
  return checks;
}

// Figures that no candidate as good as the best reproduces.
void add_drift(const AspectFit& aspect, const std::vector<FigureCheck>& checks,
               const std::vector<Figures>& all, int decimals, VendorMethodReport& report) {
  for (const FigureCheck& check : checks) {
    if (std::any_of(aspect.tied.begin(), aspect.tied.end(),
                    [&](std::size_t c) { return check.candidates[c].reproduced; })) {
      continue;
    }
    const Evaluation& best = check.candidates[aspect.best];
    std::string detail = check.field + " reported " + check.reported + "; " +
                         aspect.candidates[aspect.best].candidate + " gives ";
    if (std::isfinite(best.low)) {
      const std::string low = shown(best.low, decimals + 1, " %");
      const std::string high = shown(best.high, decimals + 1, " %");
      detail += low == high ? low : low + " to " + high;
    } else {
      detail += "nothing";
    }
    detail += " for the counts the shown rates allow";
    report.drift.push_back(
        {all[check.experiment].id, check.variation_id, check.field, std::move(detail)});
  }
}

template <class Candidates, class Name>
std::vector<std::string> names_of(const Candidates& candidates, Name name) {
  std::vector<std::string> names;
  for (const auto& candidate : candidates) {
    names.push_back(name(candidate));
  }
  return names;
}

std::string percent_text(double share) {
  return util::format_fixed(100.0 * share, 0) + " %";
}

void identify(VendorMethodReport& report, std::vector<Figures>& all) {
  const std::vector<FigureCheck> improvements =
      check_improvements(all, report.improvement_decimals);
  AspectFit improvement =
      fit("improvement",
          names_of(k_bases, [](ImprovementBasis basis) { return std::string(describe(basis)); }),
          improvements);
  report.improvement = k_bases[improvement.best];
  // Only an improvement known to come from the counts says which pairs of counts are possible
  // (the seed's own example fits its rates as shown, and its confidence only then).
  if (report.improvement != ImprovementBasis::counts || improvement.tied.size() > 1) {
    for (Figures& f : all) {
      f.pairs = grid_pairs(f);
    }
  }
  const std::vector<FigureCheck> confidences = check_confidences(all, report.confidence_decimals);
  AspectFit test =
      fit("confidence", names_of(k_tests, [](VendorTest t) { return std::string(describe(t)); }),
          confidences);
  report.test = k_tests[test.best];
  const std::vector<FigureCheck> significance =
      check_significance(all, report.test, report.confidence_decimals);
  AspectFit threshold =
      fit("is_significant",
          names_of(k_thresholds, [](double t) { return "confidence >= " + percent_text(t); }),
          significance);
  report.significance_threshold = k_thresholds[threshold.best];
  const std::vector<FigureCheck> intervals = check_intervals(all, report.rate_decimals);
  AspectFit interval =
      fit("intervals",
          names_of(k_intervals,
                   [](const IntervalCandidate& c) {
                     return std::string(describe(c.kind)) + " " + percent_text(c.level);
                   }),
          intervals);
  report.interval = k_intervals[interval.best].kind;
  report.interval_level = k_intervals[interval.best].level;
  add_drift(test, confidences, all, report.confidence_decimals, report);
  add_drift(threshold, significance, all, report.confidence_decimals, report);
  add_drift(interval, intervals, all, report.rate_decimals, report);
  add_drift(improvement, improvements, all, report.improvement_decimals, report);
  for (const Figures& f : all) {
    report.checked.emplace_back(f.id, 0);
  }
  for (const auto* checks : {&confidences, &significance, &intervals, &improvements}) {
    for (const FigureCheck& check : *checks) {
      ++report.checked[check.experiment].second;
    }
  }
  report.aspects = {std::move(test), std::move(interval), std::move(improvement),
                    std::move(threshold)};
}

} // namespace

std::string_view describe(VendorTest test) {
  switch (test) {
  case VendorTest::z_pooled_two_sided:
    return "two-sided z-test, pooled";
  case VendorTest::z_unpooled_two_sided:
    return "two-sided z-test, unpooled";
  case VendorTest::z_pooled_one_sided:
    return "one-sided z-test, pooled";
  case VendorTest::z_unpooled_one_sided:
    return "one-sided z-test, unpooled";
  case VendorTest::welch_two_sided:
    return "two-sided Welch t-test";
  case VendorTest::welch_one_sided:
    return "one-sided Welch t-test";
  case VendorTest::bayes_beta_uniform:
    return "Bayesian P(B > A), Beta(1, 1) priors";
  }
  return "";
}

std::string_view describe(VendorInterval interval) {
  switch (interval) {
  case VendorInterval::wald:
    return "Wald";
  case VendorInterval::wilson:
    return "Wilson";
  case VendorInterval::beta:
    return "Beta posterior";
  }
  return "";
}

std::string_view describe(ImprovementBasis basis) {
  return basis == ImprovementBasis::counts ? "improvement from the counts"
                                           : "improvement from the shown rates";
}

std::uint64_t VendorMethodReport::reproduced() const {
  std::uint64_t count = 0;
  for (const AspectFit& aspect : aspects) {
    count += aspect.candidates.empty() ? 0 : aspect.candidates[aspect.best].reproduced;
  }
  return count;
}

std::uint64_t VendorMethodReport::figures() const {
  std::uint64_t count = 0;
  for (const AspectFit& aspect : aspects) {
    count += aspect.candidates.empty() ? 0 : aspect.candidates[aspect.best].figures;
  }
  return count;
}

std::string VendorMethodReport::summary() const {
  return std::string(describe(test)) + "; " + std::string(describe(interval)) + " " +
         percent_text(interval_level) + " intervals; " + std::string(describe(improvement)) +
         "; significant at confidence >= " + percent_text(significance_threshold) +
         "; rates rounded to " + std::to_string(rate_decimals) + " decimal" +
         (rate_decimals == 1 ? "" : "s");
}

std::optional<VendorMethodReport> identify_vendor_method(const model::Dataset& dataset,
                                                         std::string_view source) {
  VendorMethodReport report;
  report.source = std::string(source);
  std::vector<Figures> all;
  for (const model::Experiment& experiment : dataset.experiments) {
    if (experiment.source != source) {
      continue;
    }
    std::string why;
    if (auto figures = gather(experiment, why)) {
      all.push_back(std::move(*figures));
    } else {
      report.not_checked.emplace_back(experiment.id, std::move(why));
    }
  }
  if (all.empty()) {
    return std::nullopt;
  }
  report.experiments = all.size();
  for (Figures& f : all) {
    for (std::size_t side = 0; side < 2; ++side) {
      for (const std::optional<double> number :
           {std::optional(f.rate[side]), f.low[side], f.high[side]}) {
        report.rate_decimals =
            std::max(report.rate_decimals, number ? util::written_decimals(*number) : 0);
      }
    }
    report.improvement_decimals = std::max(
        report.improvement_decimals, f.improvement ? util::written_decimals(*f.improvement) : 0);
    report.confidence_decimals =
        std::max(report.confidence_decimals, util::written_decimals(*f.confidence));
  }
  for (Figures& f : all) {
    for (std::size_t side = 0; side < 2; ++side) {
      f.counts[side] = possible_counts(f.rate[side], f.visitors[side], report.rate_decimals);
    }
  }
  identify(report, all);
  return report;
}

} // namespace reckon::analysis
