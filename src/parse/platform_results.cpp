#include "platform_parts.hpp"

#include "reckon/contract/platform.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::parse::detail {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// The platform's percentages become shares, as every other source writes rates.
double share_of(double percent) {
  return percent / 100.0;
}

// One variant's {value, confidence_interval} of a metric, in the model's units.
bool read_variant_result(JsonReader& r, object results, const model::Variation& variation,
                         const JsonPath& path, double scale, model::ReportedMetric& reported) {
  const JsonPath at = path.key(variation.name);
  const auto value = r.required(results, variation.name, path);
  const auto body = value ? r.object(*value, at) : std::nullopt;
  if (!body) {
    return false;
  }
  if (const auto number = JsonReader::field(*body, "value")) {
    if (const auto read = r.number_or_null(*number, at.key("value"))) {
      reported.value = *read * scale;
    }
  }
  const auto interval = JsonReader::field(*body, "confidence_interval");
  if (interval && !interval->is_null()) {
    const JsonPath ci_path = at.key("confidence_interval");
    const auto bounds = r.array(*interval, ci_path);
    if (!bounds || bounds->size() != 2) {
      r.fail(ci_path, "expected [low, high]");
      return false;
    }
    reported.ci_low = r.number(bounds->at(0).value(), ci_path.index(0)).value_or(0.0) * scale;
    reported.ci_high = r.number(bounds->at(1).value(), ci_path.index(1)).value_or(0.0) * scale;
  }
  return !r.failed();
}

// The comparison of the variant with the control, in a two-variant test.
void read_comparison(JsonReader& r, object results, const JsonPath& path,
                     model::ReportedMetric& reported) {
  if (const auto improvement = JsonReader::field(results, "improvement")) {
    if (const auto read = r.number_or_null(*improvement, path.key("improvement"))) {
      reported.uplift = model::ReportedUplift{share_of(*read), {}, {}, {}};
    }
  }
  if (const auto confidence = JsonReader::field(results, "confidence")) {
    if (const auto read = r.number_or_null(*confidence, path.key("confidence"))) {
      reported.confidence = share_of(*read);
    }
  }
  if (const auto significant = JsonReader::field(results, "is_significant");
      significant && !significant->is_null()) {
    reported.significant = r.boolean(*significant, path.key("is_significant"));
  }
}

// Each arm's conversions from the reported rate, and the note saying how far rounding leaves
// them uncertain.
bool rebuild_conversions(JsonReader& r, const JsonPath& path, model::CountsCell& cell,
                         model::Experiment& experiment) {
  double widest = 0.0;
  int decimals = 0;
  for (model::ArmCounts& arm : cell.arms) {
    const auto rate = std::find_if(arm.reported.begin(), arm.reported.end(),
                                   [](const auto& m) { return m.name == "conversion_rate"; });
    if (rate == arm.reported.end() || !rate->value) {
      return true; // no rate: conversions stay unknown and the rate is not analysed
    }
    const double percent = *rate->value * 100.0;
    if (percent < 0.0 || percent > 100.0) {
      r.fail(path, "conversion_rate of " + arm.variation_id + " is " +
                       util::format_round_trip(percent) + ", outside 0 to 100 %");
      return false;
    }
    const double visitors = static_cast<double>(arm.visitors);
    arm.conversions = static_cast<std::uint64_t>(std::llround(percent * visitors / 100.0));
    decimals = std::max(decimals, util::written_decimals(percent));
    widest = std::max(widest, 0.5 * std::pow(10.0, -decimals) * visitors / 100.0);
  }
  experiment.source_notes.push_back(
      "conversions: round(conversion_rate % x sample_size / 100); the "
      "platform writes the rate to " +
      std::to_string(decimals) + " decimal" + (decimals == 1 ? "" : "s") +
      ", so each count is known to within +/-" + util::format_fixed(widest, 1));
  return true;
}

} // namespace

std::optional<model::CountsCell> read_platform_results(JsonReader& r, element value,
                                                       const JsonPath& path,
                                                       model::Experiment& experiment) {
  const auto body = r.object(value, path);
  const auto sizes = body ? r.required(*body, "sample_size", path) : std::nullopt;
  const auto sizes_body = sizes ? r.object(*sizes, path.key("sample_size")) : std::nullopt;
  const auto metrics = body ? r.required(*body, "metrics", path) : std::nullopt;
  const JsonPath metrics_path = path.key("metrics");
  const auto rows = metrics ? r.array(*metrics, metrics_path) : std::nullopt;
  if (!sizes_body || !rows) {
    return std::nullopt;
  }
  model::CountsCell cell;
  cell.slice = model::Slice::overall();
  const JsonPath sizes_path = path.key("sample_size");
  for (const model::Variation& variation : experiment.variations) {
    model::ArmCounts arm;
    arm.variation_id = variation.id;
    const auto size = r.required(*sizes_body, variation.name, sizes_path);
    arm.visitors = size ? r.count(*size, sizes_path.key(variation.name)).value_or(0) : 0;
    cell.arms.push_back(std::move(arm));
  }
  const bool two_arms = experiment.variations.size() == 2;
  std::size_t index = 0;
  for (const element row : *rows) {
    const JsonPath at = metrics_path.index(index++);
    const auto metric = r.object(row, at);
    const auto name = metric ? r.required(*metric, "name", at) : std::nullopt;
    const auto label = name ? r.label(*name, at.key("name")) : std::nullopt;
    const auto results = metric ? r.required(*metric, "results", at) : std::nullopt;
    const auto results_body = results ? r.object(*results, at.key("results")) : std::nullopt;
    if (!label || !results_body) {
      return std::nullopt;
    }
    const double scale = contract::platform::is_percentage_metric(*label) ? 0.01 : 1.0;
    for (std::size_t arm = 0; arm < cell.arms.size(); ++arm) {
      model::ReportedMetric reported;
      reported.name = std::string(*label);
      if (!read_variant_result(r, *results_body, experiment.variations[arm], at.key("results"),
                               scale, reported)) {
        return std::nullopt;
      }
      if (two_arms && !experiment.variations[arm].is_control) {
        read_comparison(r, *results_body, at.key("results"), reported);
      }
      cell.arms[arm].reported.push_back(std::move(reported));
    }
  }
  if (r.failed() || !rebuild_conversions(r, path, cell, experiment)) {
    return std::nullopt;
  }
  return cell;
}

} // namespace reckon::parse::detail
