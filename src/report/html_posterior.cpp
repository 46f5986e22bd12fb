#include "html_posterior.hpp"

#include "html_sections.hpp"

#include "reckon/stats/beta.hpp"
#include "reckon/stats/trend.hpp"
#include "reckon/util/json_writer.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reckon::report::html {
namespace {

using analysis::CellResult;

constexpr int k_grid_points = 121;
// Simpson's rule over the control's posterior mass; an even count of intervals.
constexpr int k_integration_intervals = 400;
// The control's posterior is integrated between these quantiles: what lies outside moves the
// density by less than the plot can show.
constexpr double k_tail = 1e-9;

const CellResult* overall_cell(const analysis::ExperimentResult& experiment,
                               std::string_view metric, bool control) {
  for (const CellResult& cell : experiment.cells) {
    if (cell.slice.is_overall() && cell.metric == metric && cell.is_control == control) {
      return &cell;
    }
  }
  return nullptr;
}

stats::BetaParams rate_posterior(const CellResult& cell, const stats::BetaPrior& prior) {
  const double visitors = static_cast<double>(cell.n_visitors);
  const auto successes = static_cast<std::uint64_t>(std::llround(*cell.value * visitors));
  return stats::beta_posterior(prior, std::min(successes, cell.n_visitors), cell.n_visitors);
}

// f(u) = integral of f_X((1 + u) y) f_Y(y) y dy: the density of X / Y - 1 for independent
// X (variant) and Y (control).
double beta_ratio_density(stats::BetaParams variant, stats::BetaParams control, double low,
                          double high, double uplift) {
  const double step = (high - low) / k_integration_intervals;
  double sum = 0.0;
  for (int i = 0; i <= k_integration_intervals; ++i) {
    const double y = low + step * i;
    const double x = (1.0 + uplift) * y;
    if (x <= 0.0 || x >= 1.0 || y <= 0.0) {
      continue;
    }
    const double weight = i == 0 || i == k_integration_intervals ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
    sum += weight * stats::beta_pdf(variant, x) * stats::beta_pdf(control, y) * y;
  }
  return sum * step / 3.0;
}

// The grid spans the credible interval and half its width again on each side (the level's
// tails and a margin), above -100 %.
std::vector<double> uplift_grid(double low, double high) {
  const double width = std::max(high - low, 1e-6);
  const double first = std::max(low - 0.5 * width, -1.0 + 1e-9);
  const double last = high + 0.5 * width;
  std::vector<double> grid(k_grid_points);
  for (int i = 0; i < k_grid_points; ++i) {
    grid[static_cast<std::size_t>(i)] = first + (last - first) * i / (k_grid_points - 1);
  }
  return grid;
}

std::vector<DensityPoint> exact_density(const CellResult& variant, const CellResult& control,
                                        const stats::BetaPrior& prior,
                                        const std::vector<double>& grid) {
  const stats::BetaParams x = rate_posterior(variant, prior);
  const stats::BetaParams y = rate_posterior(control, prior);
  const double low = stats::beta_quantile(y, k_tail);
  const double high = stats::beta_quantile(y, 1.0 - k_tail);
  std::vector<DensityPoint> points;
  points.reserve(grid.size());
  for (const double u : grid) {
    points.push_back({u, beta_ratio_density(x, y, low, high, u)});
  }
  return points;
}

std::vector<DensityPoint> lognormal_density(double low, double high, double level,
                                            const std::vector<double>& grid) {
  const double z = stats::normal_quantile(0.5 + level / 2.0);
  const double mean = (std::log1p(low) + std::log1p(high)) / 2.0;
  const double sd = std::max((std::log1p(high) - std::log1p(low)) / (2.0 * z), 1e-12);
  std::vector<DensityPoint> points;
  points.reserve(grid.size());
  for (const double u : grid) {
    const double t = (std::log1p(u) - mean) / sd;
    const double density =
        std::exp(-0.5 * t * t) / ((1.0 + u) * sd * std::sqrt(2.0 * std::numbers::pi));
    points.push_back({u, density});
  }
  return points;
}

bool usable_rate(const CellResult& cell) {
  return cell.model == "beta_binomial" && cell.value && cell.n_visitors > 0;
}

} // namespace

std::vector<UpliftDensity> uplift_densities(const analysis::ExperimentResult& experiment,
                                            std::string_view metric,
                                            const analysis::AnalysisOptions& options) {
  std::vector<UpliftDensity> out;
  const CellResult* control = overall_cell(experiment, metric, true);
  for (const CellResult& cell : experiment.cells) {
    if (!cell.slice.is_overall() || cell.metric != metric || cell.is_control || !cell.uplift ||
        !cell.uplift->ci_low || !cell.uplift->ci_high || *cell.uplift->ci_low <= -1.0) {
      continue;
    }
    UpliftDensity density;
    density.variation = variation_name(experiment, cell.variation_id);
    const std::vector<double> grid = uplift_grid(*cell.uplift->ci_low, *cell.uplift->ci_high);
    if (control != nullptr && usable_rate(cell) && usable_rate(*control)) {
      density.method = DensityMethod::exact_beta_ratio;
      density.points = exact_density(cell, *control, options.prior, grid);
    } else {
      density.points = lognormal_density(*cell.uplift->ci_low, *cell.uplift->ci_high,
                                         options.sampling.level, grid);
    }
    out.push_back(std::move(density));
  }
  return out;
}

namespace {

void write_values(util::JsonWriter& json, const std::vector<UpliftDensity>& densities) {
  json.key("data").begin_object().key("values").begin_array();
  for (const UpliftDensity& density : densities) {
    double peak = 0.0;
    for (const DensityPoint& point : density.points) {
      peak = std::max(peak, point.density);
    }
    for (const DensityPoint& point : density.points) {
      // Each violin is scaled to its own peak: the shapes, not the heights, are compared.
      const double half = peak > 0.0 ? point.density / peak / 2.0 : 0.0;
      json.begin_object().key("variation").value(density.variation);
      json.key("uplift").value(point.uplift).key("top").value(half).key("bottom").value(-half);
      json.key("density").value(point.density).end_object();
    }
  }
  json.end_array().end_object();
}

void write_layers(util::JsonWriter& json) {
  json.key("layer").begin_array();
  json.begin_object().key("mark").begin_object().key("type").value("area");
  json.key("opacity").value(0.75).key("line").value(true).end_object();
  json.key("encoding").begin_object();
  json.key("x").begin_object().key("field").value("uplift").key("type").value("quantitative");
  json.key("title").value("uplift over control");
  json.key("axis").begin_object().key("format").value("+.0%").end_object().end_object();
  json.key("y").begin_object().key("field").value("top").key("type").value("quantitative");
  json.key("axis").null().key("scale").begin_object().key("domain").begin_array();
  json.value(-0.5).value(0.5).end_array().end_object().end_object();
  json.key("y2").begin_object().key("field").value("bottom").end_object();
  json.key("color").begin_object().key("field").value("variation").key("type").value("nominal");
  json.key("legend").null().end_object();
  json.end_object().end_object();
  json.begin_object().key("mark").begin_object().key("type").value("rule");
  json.key("color").value("#555").key("strokeDash").begin_array().value(4).value(3).end_array();
  json.end_object().key("encoding").begin_object().key("x").begin_object().key("datum").value(0);
  json.end_object().end_object().end_object();
  json.end_array();
}

} // namespace

std::optional<HtmlChart> uplift_posterior_chart(const std::vector<UpliftDensity>& densities,
                                                std::string_view metric) {
  if (densities.empty()) {
    return std::nullopt;
  }
  util::JsonWriter json(util::JsonWriter::Layout::compact);
  json.begin_object().key("$schema").value("https://vega.github.io/schema/vega-lite/v5.json");
  write_values(json, densities);
  json.key("facet").begin_object().key("row").begin_object();
  json.key("field").value("variation").key("type").value("nominal").key("title").null();
  json.key("sort").null().key("header").begin_object().key("labelAngle").value(0);
  json.key("labelAlign").value("left").key("labelFontSize").value(12).end_object();
  json.end_object().end_object();
  json.key("spec").begin_object().key("width").value(640).key("height").value(56);
  write_layers(json);
  json.end_object();
  json.key("resolve").begin_object().key("scale").begin_object().key("x").value("shared");
  json.end_object().end_object();
  json.end_object();

  const bool exact = std::all_of(densities.begin(), densities.end(), [](const auto& density) {
    return density.method == DensityMethod::exact_beta_ratio;
  });
  HtmlChart chart;
  chart.title = "Posterior of the uplift: " + std::string(metric);
  chart.spec_json = json.finish();
  chart.caption =
      exact ? "Exact density of the ratio of the two Beta posteriors (variant over control), by "
              "numerical integration: no sampling."
            : "Log-normal density of 1 + uplift matched to the credible interval of the uplift "
              "(an approximation of the posterior; Beta-Binomial rates are drawn exactly).";
  return chart;
}

} // namespace reckon::report::html
