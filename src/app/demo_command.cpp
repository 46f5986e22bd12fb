#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "report_folder.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"
#include "reckon/util/temporary_files.hpp"
#include "reckon/util/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace reckon::app {
namespace {

using util::Result;

std::string variation_name(const analysis::ExperimentResult& experiment, const std::string& id) {
  for (const model::Variation& variation : experiment.variations) {
    if (variation.id == id) {
      return variation.name.empty() ? id : variation.name;
    }
  }
  return id;
}

// "Free over $50 WINNER" or "Bundle LOSER, Tiered FLAT": each variation's verdict on the
// test's primary metric.
std::string verdicts_in_short(const analysis::ExperimentResult& experiment) {
  if (!experiment.verdict || experiment.verdict->variations.empty()) {
    return "no verdict";
  }
  std::string text;
  for (const analysis::VariationVerdict& verdict : experiment.verdict->variations) {
    text += (text.empty() ? "" : ", ") + variation_name(experiment, verdict.variation_id) + " " +
            std::string(analysis::verdict_label(verdict.verdict));
  }
  return text;
}

// "healthy", or "critical (srm)": the status and the rule that decided it.
std::string health_of(const analysis::HealthReport& health, const std::string& id) {
  for (const analysis::ExperimentHealth& experiment : health.experiments) {
    if (experiment.id != id) {
      continue;
    }
    std::string text(analysis::health_status_label(experiment.status));
    if (const analysis::HealthReason* worst = experiment.worst_reason(); worst != nullptr) {
      text += " (" + worst->rule + ")";
    }
    return text;
  }
  return "not judged";
}

std::string signed_percent(double fraction) {
  return (fraction >= 0.0 ? "+" : "") + util::format_fixed(fraction * 100.0, 1) + " %";
}

// `text` (a line starting with its indent) broken at spaces to fit 100 columns, the continuation
// lines indented two more.
std::string wrapped(const std::string& text) {
  const std::size_t indent = text.find_first_not_of(' ');
  return util::wrap_words(text, "", std::string(indent + 2, ' '), 100);
}

// The dimension whose segments differ most (largest I²) for a variation on a metric.
const analysis::DimensionCheck* widest_dimension(const analysis::ExperimentSegments& cut,
                                                 const std::string& variation_id) {
  const analysis::DimensionCheck* widest = nullptr;
  for (const analysis::DimensionCheck& check : cut.dimensions) {
    if (check.variation_id == variation_id && check.metric == cut.metrics.front() &&
        (widest == nullptr || check.heterogeneity.i2 > widest->heterogeneity.i2)) {
      widest = &check;
    }
  }
  return widest;
}

// "Mobile +26.9 %, Tablet +12.0 % and 2 more": the winning segments of one dimension.
std::string winners_of(const analysis::ExperimentSegments& cut,
                       const analysis::DimensionCheck& dimension) {
  constexpr std::size_t k_named = 3;
  std::vector<std::string> winners;
  for (const analysis::SegmentRow& row : cut.rows) {
    if (row.dimension == dimension.dimension && row.variation_id == dimension.variation_id &&
        row.metric == dimension.metric && row.raw.verdict == analysis::SegmentVerdict::winner) {
      winners.push_back(row.segment + (row.raw.evidence.uplift
                                           ? " " + signed_percent(*row.raw.evidence.uplift)
                                           : std::string()));
    }
  }
  std::string text;
  for (std::size_t i = 0; i < std::min(winners.size(), k_named); ++i) {
    text += (i == 0 ? "" : ", ") + winners[i];
  }
  if (winners.size() > k_named) {
    text += " and " + std::to_string(winners.size() - k_named) + " more";
  }
  return text;
}

// "    segments: Sticky cart bar: 16 segment winners (8.4 by chance), by device type Mobile
// +26.9 %; SEGMENT-SPECIFIC" per variation whose segment winners are more than chance finds,
// naming the winners of the dimension whose segments differ most.
std::string segment_lines(const analysis::SegmentsReport& segments,
                          const analysis::ExperimentResult& experiment) {
  std::string out;
  for (const analysis::ExperimentSegments& cut : segments.experiments) {
    if (cut.id != experiment.id || cut.metrics.empty()) {
      continue;
    }
    for (const analysis::VariationRollout& rollout : cut.rollouts) {
      if (rollout.tally.winners == 0 || rollout.tally.winners_within_chance) {
        continue;
      }
      const analysis::DimensionCheck* widest = widest_dimension(cut, rollout.variation_id);
      const std::string winners = widest == nullptr ? std::string() : winners_of(cut, *widest);
      std::string dimension = winners.empty() ? std::string() : widest->dimension;
      std::replace(dimension.begin(), dimension.end(), '_', ' ');
      out += wrapped("    segments: " + variation_name(experiment, rollout.variation_id) +
                     " wins in " + util::format_count(rollout.tally.winners) + " segments" +
                     (winners.empty() ? "" : ", by " + dimension + " in " + winners) + "; " +
                     std::string(analysis::rollout_label(rollout.decision.call)));
    }
  }
  return out;
}

// "    days: Bundle banner weekend only (weekday -2.9 %, weekend +31.0 %)" per variation whose
// weekend and weekday uplifts differ, on the primary metric.
std::string day_lines(const analysis::TemporalResults& temporal,
                      const analysis::ExperimentResult& experiment) {
  std::string out;
  for (const analysis::ExperimentTimeline& timeline : temporal.experiments) {
    if (timeline.id != experiment.id) {
      continue;
    }
    for (const analysis::VariationTimeline& variation : timeline.timelines) {
      const analysis::DayTypeContrast& contrast = variation.day_type;
      if (variation.metric != timeline.metric || contrast.call.empty() ||
          contrast.call == "same on both" || !contrast.weekday.uplift ||
          !contrast.weekday.uplift->value || !contrast.weekend.uplift ||
          !contrast.weekend.uplift->value) {
        continue;
      }
      out +=
          wrapped("    days: " + variation_name(experiment, variation.variation_id) + " " +
                  contrast.call + " (weekday " + signed_percent(*contrast.weekday.uplift->value) +
                  ", weekend " + signed_percent(*contrast.weekend.uplift->value) + ")");
    }
  }
  return out;
}

// "    check: drift fails on 1 reported number: conversion_rate of Upsell drawer, p2bc reported
// 1, recomputed 0.70698 (...)" per check the vendor's numbers fail.
std::string check_lines(const analysis::CheckReport& check,
                        const analysis::ExperimentResult& experiment) {
  std::string out;
  for (const analysis::ExperimentCheck& tested : check.experiments) {
    if (tested.id != experiment.id) {
      continue;
    }
    for (const analysis::CheckOutcome& outcome : tested.checks) {
      if (outcome.failures.empty()) {
        continue;
      }
      const analysis::CheckFailure& first = outcome.failures.front();
      const std::size_t count = outcome.failures.size();
      out += wrapped(
          "    check: " + outcome.name + " fails on " + util::format_count(count) +
          (count == 1 ? " reported number" : " reported numbers, the first") + ": " + first.metric +
          (first.variation_id.empty() ? "" : " of ") +
          (first.variation_id.empty() ? "" : variation_name(experiment, first.variation_id)) +
          ", " + first.detail);
    }
  }
  return out;
}

// One line per test, what it decided and how healthy it is, then what segments, days and the
// vendor check found where they found something; the report holds the rest.
std::string summary(const WrittenReport& written, const DemoSettings& settings) {
  const analysis::Results& results = written.analyses.results;
  std::ostringstream out;
  out << wrapped("Reckon imported the demo account's saved API responses (" + settings.data_dir +
                 "), analysed its " + std::to_string(results.experiments.size()) +
                 " tests, checked the vendor's numbers, cut them by segment and by day and judged "
                 "their health (" +
                 util::format_count(results.options.sampling.draws) + " draws, seed " +
                 std::to_string(results.options.sampling.seed) + "):")
      << "\n";
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    out << wrapped("  " + (experiment.name.empty() ? experiment.id : experiment.name) + ": " +
                   verdicts_in_short(experiment) + "; health " +
                   health_of(written.health, experiment.id))
        << segment_lines(written.analyses.segments, experiment)
        << day_lines(written.analyses.temporal, experiment)
        << check_lines(written.check, experiment);
  }
  out << "\nOpen the report in a browser: " << written.index.string()
      << "\n(report.md, cells.csv, results.json, results.sqlite and the store demo.db are beside "
         "it)\n";
  return out.str();
}

// The folder of saved responses, or a usage error that says where to run from.
Result<void> find_demo_data(const std::string& data_dir) {
  std::error_code error;
  if (std::filesystem::is_directory(std::filesystem::path(data_dir) / "intelligems", error)) {
    return {};
  }
  return util::make_error(util::ErrorCode::usage, "--data " + data_dir,
                          "no saved API responses there (an intelligems/ folder); run reckon demo "
                          "from the repository's root, or pass --data DIR (the repository's "
                          "data/demo)");
}

// The report folder as util::write_folder names it: absolute, without a trailing slash.
std::filesystem::path folder_target(const std::string& out_dir) {
  std::filesystem::path named = std::filesystem::absolute(out_dir).lexically_normal();
  return named.has_filename() ? named : named.parent_path();
}

// The store, built in a temporary folder beside the report, moved into the report folder.
util::FolderFile moved_store(const std::filesystem::path& built) {
  return {"demo.db", [built](const std::filesystem::path& path) -> Result<void> {
            if (std::rename(built.c_str(), path.c_str()) != 0) {
              return util::make_error(util::ErrorCode::io, path.string(),
                                      std::string("cannot move the store into the report: ") +
                                          std::strerror(errno));
            }
            return {};
          }};
}

} // namespace

Result<WrittenReport> write_demo_report(const DemoSettings& settings, const Console& console) {
  if (Result<void> found = find_demo_data(settings.data_dir); !found) {
    return found.error();
  }
  const std::filesystem::path target = folder_target(settings.out_dir);
  std::error_code error;
  std::filesystem::create_directories(target.parent_path(), error);
  // Removed, with whatever SQLite left beside the store, when the demo ends or is interrupted.
  Result<util::Temporary> staging = util::Temporary::create_folder(target);
  if (!staging) {
    return util::make_error(util::ErrorCode::io, settings.out_dir, staging.error().message);
  }
  const std::filesystem::path store = staging->path() / "demo.db";
  auto imported = import_responses(settings.data_dir, store.string(), console);
  if (!imported) {
    return imported.error();
  }
  console.detail("imported " + util::format_count(imported->fresh) + " responses from " +
                 settings.data_dir);
  AnalysisSettings analysis = settings.analysis;
  analysis.store_path = store.string();
  Result<LoadedDataset> input = load_dataset(analysis);
  if (!input) {
    return input.error();
  }
  input->source_name = settings.data_dir; // the report names what the user gave, not the store
  Result<WrittenReport> written =
      write_report_folder(*input, analysis, settings.out_dir, {moved_store(store)});
  if (!written) {
    return written.error();
  }
  if (Result<void> reported = report_unreadable(*input, console); !reported) {
    return reported.error();
  }
  return written;
}

Result<void> run_demo(const DemoSettings& settings, const Console& console) {
  const Result<WrittenReport> written = write_demo_report(settings, console);
  if (!written) {
    return written.error();
  }
  if (Result<void> shown = write_stdout(console, summary(*written, settings)); !shown) {
    return shown;
  }
  console.info("demo report written to " + written->index.parent_path().string());
  return {};
}

} // namespace reckon::app
