#include "analysis_run.hpp"

#include "reckon/analysis/analyze.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#ifndef RECKON_VERSION
#error "RECKON_VERSION must be defined by the build"
#endif

namespace reckon::app {
namespace {

std::size_t effective_threads(std::size_t requested) {
  return requested != 0 ? requested : std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

// The same file through links, or (for outputs not written yet) the same path once resolved.
bool same_target(const std::filesystem::path& first, const std::filesystem::path& second) {
  std::error_code first_error;
  std::error_code second_error;
  const std::filesystem::path first_path = std::filesystem::weakly_canonical(first, first_error);
  const std::filesystem::path second_path = std::filesystem::weakly_canonical(second, second_error);
  return util::same_file(first, second) ||
         (!first_error && !second_error && first_path == second_path);
}

} // namespace

analysis::Results analyze_dataset(const model::Dataset& dataset, const AnalysisSettings& settings) {
  const stats::ThreadLimit thread_limit(effective_threads(settings.threads));
  return analysis::analyze_counts(dataset, settings.options);
}

util::Result<void> refuse_unanswered_metrics(const analysis::Results& results,
                                             const AnalysisSettings& settings,
                                             const std::string& source_name) {
  std::vector<analysis::MetricCoverage> coverage;
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    coverage.insert(coverage.end(), experiment.metrics.begin(), experiment.metrics.end());
  }
  return refuse_unanswered_metrics(coverage, settings, source_name);
}

util::Result<void> refuse_unanswered_metrics(const std::vector<analysis::MetricCoverage>& coverage,
                                             const AnalysisSettings& settings,
                                             const std::string& source_name) {
  for (const std::string& metric : settings.options.metrics) {
    std::string reason = "no experiment there reports it";
    bool answered = false;
    for (const analysis::MetricCoverage& covered : coverage) {
      if (covered.name == metric) {
        answered = answered || covered.reanalysed;
        reason = covered.reanalysed ? reason : covered.reason;
      }
    }
    if (!answered) {
      return util::make_error(util::ErrorCode::usage, "--metric",
                              metric + " cannot be computed from " + source_name + ": " + reason);
    }
  }
  return {};
}

report::RunInfo run_info(const AnalysisSettings& settings) {
  return {RECKON_VERSION, effective_threads(settings.threads), settings.days};
}

util::Result<void> write_output(const std::string& text, const AnalysisSettings& settings,
                                const Console& console) {
  const std::string target = settings.output_path.empty() ? "stdout" : settings.output_path;
  util::Result<void> written = settings.output_path.empty()
                                   ? write_stdout(console, text)
                                   : util::write_file_atomically(settings.output_path, text);
  if (written) {
    console.detail("wrote " + util::format_count(text.size()) + " bytes to " + target);
  }
  return written;
}

util::Result<void> write_output(const util::ContentProducer& produce,
                                const AnalysisSettings& settings, const Console& console) {
  std::uint64_t bytes = 0;
  const auto counted = [&](const auto& put) {
    return produce([&](std::string_view piece) {
      bytes += piece.size();
      return put(piece);
    });
  };
  util::Result<void> written;
  if (settings.output_path.empty()) {
    errno = 0;
    written = counted([&](std::string_view piece) -> util::Result<void> {
      console.out << piece;
      return console.out ? util::Result<void>() : flush_stdout(console.out);
    });
    written = written ? flush_stdout(console.out) : written;
  } else {
    written = util::write_file_atomically(
        settings.output_path, [&](const std::function<util::Result<void>(std::string_view)>& put) {
          return counted(put);
        });
  }
  if (written) {
    console.detail("wrote " + util::format_count(bytes) + " bytes to " +
                   (settings.output_path.empty() ? "stdout" : settings.output_path));
  }
  return written;
}

util::Result<void> write_stdout(const Console& console, std::string_view text) {
  errno = 0;
  console.out << text;
  return flush_stdout(console.out);
}

util::Result<void> flush_stdout(std::ostream& out) {
  out.flush();
  if (out) {
    return {};
  }
  const int error = errno;
  return util::make_error(util::ErrorCode::io, "stdout",
                          std::string("cannot write") +
                              (error != 0 ? std::string(": ") + std::strerror(error) : "") +
                              "; the output is lost or incomplete");
}

NamedFile analysis_input(const AnalysisSettings& settings) {
  return settings.counts_path.empty() ? NamedFile{"--store", settings.store_path}
                                      : NamedFile{"--counts", settings.counts_path};
}

util::Result<void> refuse_outputs_over_inputs(const std::vector<NamedFile>& outputs,
                                              std::vector<NamedFile> inputs) {
  const std::size_t input_count = inputs.size();
  for (const NamedFile& output : outputs) {
    if (output.path.empty()) {
      continue;
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (same_target(output.path, inputs[i].path)) {
        const std::string role =
            i < input_count ? ", which this command reads" : ", another output";
        return util::make_error(util::ErrorCode::usage, output.option + " " + output.path.string(),
                                "is the same file as " + inputs[i].option + " " +
                                    inputs[i].path.string() + role + "; name another file");
      }
    }
    inputs.push_back(output);
  }
  return {};
}

} // namespace reckon::app
