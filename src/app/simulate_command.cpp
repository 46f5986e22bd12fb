#include "commands.hpp"

#include "reckon/parse/scenario.hpp"
#include "reckon/simulate/simulate.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/util/file.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

namespace reckon::app {

util::Result<void> run_simulate(const SimulateSettings& settings, const Console& console) {
  util::Result<std::string> text = util::read_file(settings.scenario_path);
  if (!text) {
    return text.error();
  }
  util::Result<model::Scenario> scenario = parse::parse_scenario(*text, settings.scenario_path);
  if (!scenario) {
    return scenario.error();
  }
  if (settings.honest) {
    for (model::ScenarioExperiment& experiment : scenario->experiments) {
      experiment.vendor_errors.clear();
    }
  }
  if (settings.seed) {
    scenario->seed = *settings.seed;
  }
  const std::size_t threads = settings.threads != 0
                                  ? settings.threads
                                  : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  const stats::ThreadLimit thread_limit(threads);
  const std::vector<simulate::GeneratedFile> files = simulate::generate(*scenario);

  const std::filesystem::path dir(settings.out_dir);
  for (const simulate::GeneratedFile& file : files) {
    if (util::same_file(dir / file.path, settings.scenario_path)) {
      return util::make_error(util::ErrorCode::usage, "--out " + settings.out_dir,
                              "would write " + (dir / file.path).string() +
                                  ", the same file as --scenario " + settings.scenario_path +
                                  ", which this command reads; name another folder");
    }
  }
  for (const simulate::GeneratedFile& file : files) {
    const std::filesystem::path path = dir / file.path;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return util::make_error(util::ErrorCode::io, path.parent_path().string(),
                              "cannot create the folder: " + ec.message());
    }
    if (util::Result<void> written = util::write_file_atomically(path, file.content); !written) {
      return written;
    }
  }
  console.info("simulated " + std::to_string(scenario->experiments.size()) + " experiments (seed " +
               std::to_string(scenario->seed) + "): " + std::to_string(files.size()) +
               " files written to " + std::filesystem::absolute(dir).lexically_normal().string());
  return {};
}

} // namespace reckon::app
