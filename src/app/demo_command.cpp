#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "demo_data.hpp"
#include "report_folder.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/number_format.hpp"

#include <sstream>

namespace reckon::app {
namespace {

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

std::string health_of(const analysis::HealthReport& health, const std::string& id) {
  for (const analysis::ExperimentHealth& experiment : health.experiments) {
    if (experiment.id == id) {
      return std::string(analysis::health_status_label(experiment.status));
    }
  }
  return "not judged";
}

// One line per test: what it decided and how healthy it is; the report holds the rest.
std::string summary(const WrittenReport& written, const std::string& source) {
  const analysis::Results& results = written.analyses.results;
  std::ostringstream out;
  out << "Reckon re-analysed " << results.experiments.size() << " tests of the demo account ("
      << source << ", " << util::format_count(results.options.sampling.draws) << " draws, seed "
      << results.options.sampling.seed << "):\n\n";
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    out << "  " << (experiment.name.empty() ? experiment.id : experiment.name) << "\n    "
        << verdicts_in_short(experiment) << "; health: " << health_of(written.health, experiment.id)
        << "\n";
  }
  out << "\nOpen the report in a browser: " << written.index.string()
      << "\n(report.md, cells.csv, results.json and results.sqlite are beside it)\n";
  return out.str();
}

} // namespace

util::Result<void> run_demo(AnalysisSettings settings, const std::string& out_dir,
                            const Console& console) {
  util::Result<LoadedDataset> input =
      load_counts_text(demo_counts_csv(), "demo/counts.csv", settings);
  if (!input) {
    return input.error();
  }
  const util::Result<WrittenReport> written = write_report_folder(*input, settings, out_dir);
  if (!written) {
    return written.error();
  }
  if (util::Result<void> shown = write_stdout(console, summary(*written, input->source_name));
      !shown) {
    return shown;
  }
  console.info("demo report written to " + written->index.parent_path().string());
  return {};
}

} // namespace reckon::app
