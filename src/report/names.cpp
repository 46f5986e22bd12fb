#include "names.hpp"

namespace reckon::report::detail {

std::string variation_name(std::span<const model::Variation> variations, std::string_view id) {
  for (const model::Variation& variation : variations) {
    if (variation.id == id && !variation.name.empty()) {
      return variation.name;
    }
  }
  return std::string(id);
}

std::string_view slice_kind(const model::Slice& slice) {
  if (slice.is_overall()) {
    return "overall";
  }
  if (slice.segment_type == "day") {
    return "day";
  }
  return slice.date.empty() ? "segment" : "segment_day";
}

const analysis::VariationVerdict* verdict_of(const analysis::ExperimentResult& experiment,
                                             std::string_view variation_id) {
  if (!experiment.verdict) {
    return nullptr;
  }
  for (const analysis::VariationVerdict& variation : experiment.verdict->variations) {
    if (variation.variation_id == variation_id) {
      return &variation;
    }
  }
  return nullptr;
}

} // namespace reckon::report::detail
