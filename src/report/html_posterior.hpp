#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/report/html_report.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::report::html {

// How a variation's uplift density was obtained.
enum class DensityMethod {
  // Beta-Binomial rates: the exact density of the ratio of the two Beta posteriors, by
  // numerical integration (no sampling, so no Monte Carlo noise).
  exact_beta_ratio,
  // Every other model: a log-normal on 1 + uplift matched to the uplift's credible interval
  // (the engine keeps no draws to build a histogram from).
  lognormal_from_interval,
};

struct DensityPoint {
  double uplift = 0.0;
  double density = 0.0;
};

struct UpliftDensity {
  std::string variation; // its name
  DensityMethod method = DensityMethod::lognormal_from_interval;
  std::vector<DensityPoint> points; // increasing uplift, the density integrating to about 1
};

// The uplift densities of every variant of `metric` on the overall slice that has an uplift
// interval, in the experiment's variation order.
std::vector<UpliftDensity> uplift_densities(const analysis::ExperimentResult& experiment,
                                            std::string_view metric,
                                            const analysis::AnalysisOptions& options);

// A violin per variation (a Vega-Lite spec) of `densities`; nullopt when there is none.
std::optional<HtmlChart> uplift_posterior_chart(const std::vector<UpliftDensity>& densities,
                                                std::string_view metric);

} // namespace reckon::report::html
