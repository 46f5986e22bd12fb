#include "vendor_method_output.hpp"

#include <algorithm>

namespace reckon::report::detail {
namespace {

std::string fraction(std::uint64_t part, std::uint64_t whole) {
  return std::to_string(part) + " of " + std::to_string(whole);
}

// "confidence: two-sided z-test, unpooled 12 of 12 (as good: two-sided z-test, pooled);
// next one-sided z-test, pooled 3 of 12".
std::string describe_aspect(const analysis::AspectFit& aspect) {
  const analysis::CandidateFit& best = aspect.candidates[aspect.best];
  std::string text =
      "  " + aspect.aspect + ": " + best.candidate + ", " + fraction(best.reproduced, best.figures);
  std::string tied;
  for (const std::size_t c : aspect.tied) {
    if (c != aspect.best) {
      tied += (tied.empty() ? "" : ", ") + aspect.candidates[c].candidate;
    }
  }
  if (!tied.empty()) {
    text += " (these data cannot tell it from: " + tied + ")";
  }
  std::size_t next = aspect.candidates.size();
  for (std::size_t c = 0; c < aspect.candidates.size(); ++c) {
    const bool is_tied = std::find(aspect.tied.begin(), aspect.tied.end(), c) != aspect.tied.end();
    if (!is_tied && (next == aspect.candidates.size() ||
                     aspect.candidates[c].reproduced > aspect.candidates[next].reproduced)) {
      next = c;
    }
  }
  if (next < aspect.candidates.size()) {
    text += "; next best " + aspect.candidates[next].candidate + ", " +
            fraction(aspect.candidates[next].reproduced, aspect.candidates[next].figures);
  }
  return text + "\n";
}

// A test as people know it: its name, its id only when it has none.
std::string test_name(const analysis::CheckReport& report, const std::string& id) {
  for (const analysis::ExperimentCheck& experiment : report.experiments) {
    if (experiment.id == id && !experiment.name.empty()) {
      return experiment.name;
    }
  }
  return id;
}

} // namespace

std::string describe_vendor_methods(const analysis::CheckReport& report) {
  std::string text;
  for (const analysis::VendorMethodReport& method : report.vendor_methods) {
    text += "Vendor method (" + method.source + ", identified from " +
            std::to_string(method.experiments) + " experiments): " + method.summary() +
            ".\n  Reproduces " + fraction(method.reproduced(), method.figures()) +
            " reported figures; every count that rounds to a shown rate counts as possible.\n";
    for (const analysis::AspectFit& aspect : method.aspects) {
      if (!aspect.candidates.empty() && aspect.candidates.front().figures > 0) {
        text += describe_aspect(aspect);
      }
    }
    for (const auto& [id, reason] : method.not_checked) {
      text += "  not checked: " + test_name(report, id) + ": " + reason + "\n";
    }
  }
  return text;
}

void write_vendor_methods(util::JsonWriter& json, const analysis::CheckReport& report) {
  if (report.vendor_methods.empty()) {
    return; // an account of documented sources reads as before
  }
  json.key("vendor_methods").begin_array();
  for (const analysis::VendorMethodReport& method : report.vendor_methods) {
    json.begin_object();
    json.key("source").value(method.source);
    json.key("method").value(method.summary());
    json.key("test").value(analysis::describe(method.test));
    json.key("interval").value(analysis::describe(method.interval));
    json.key("interval_level").value(method.interval_level);
    json.key("improvement").value(analysis::describe(method.improvement));
    json.key("significance_threshold").value(method.significance_threshold);
    json.key("rate_decimals").value(static_cast<std::uint64_t>(method.rate_decimals));
    json.key("experiments").value(method.experiments);
    json.key("reproduced").value(method.reproduced());
    json.key("figures").value(method.figures());
    json.key("aspects").begin_array();
    for (const analysis::AspectFit& aspect : method.aspects) {
      json.begin_object();
      json.key("aspect").value(aspect.aspect);
      json.key("best").value(aspect.candidates[aspect.best].candidate);
      json.key("candidates").begin_array();
      for (std::size_t c = 0; c < aspect.candidates.size(); ++c) {
        const analysis::CandidateFit& candidate = aspect.candidates[c];
        json.begin_object();
        json.key("candidate").value(candidate.candidate);
        json.key("reproduced").value(candidate.reproduced);
        json.key("figures").value(candidate.figures);
        json.key("as_good_as_best")
            .value(std::find(aspect.tied.begin(), aspect.tied.end(), c) != aspect.tied.end());
        json.end_object();
      }
      json.end_array();
      json.end_object();
    }
    json.end_array();
    json.key("not_checked").begin_array();
    for (const auto& [id, reason] : method.not_checked) {
      json.begin_object().key("id").value(id).key("reason").value(reason).end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
}

} // namespace reckon::report::detail
