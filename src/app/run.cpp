#include "reckon/app/run.hpp"

#include "commands.hpp"
#include "settings.hpp"

#include "reckon/analysis/metrics.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>

#include <exception>
#include <sstream>

namespace reckon::app {
namespace {

int exit_code_for(util::ErrorCode code) {
  switch (code) {
  case util::ErrorCode::usage:
    return k_exit_usage;
  case util::ErrorCode::bad_input:
  case util::ErrorCode::io:
    return k_exit_bad_input;
  case util::ErrorCode::network:
    return k_exit_network;
  }
  return k_exit_internal;
}

const std::map<std::string, analysis::ModelRoute> k_routes{
    {"bayesian", analysis::ModelRoute::bayesian},
    {"normal_delta", analysis::ModelRoute::normal_delta}};

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const analysis::MetricDefinition& metric : analysis::counts_metrics()) {
    names.emplace_back(metric.name);
  }
  return names;
}

// Accepts METRIC=ROUTE where both are known; CLI11 names the option in its message.
CLI::Validator route_choice_validator() {
  return CLI::Validator(
      [](std::string& choice) -> std::string {
        const std::size_t equals = choice.find('=');
        if (equals == std::string::npos) {
          return "expected METRIC=ROUTE, got " + choice;
        }
        const std::vector<std::string> names = metric_names();
        if (std::find(names.begin(), names.end(), choice.substr(0, equals)) == names.end()) {
          return "unknown metric " + choice.substr(0, equals);
        }
        if (k_routes.count(choice.substr(equals + 1)) == 0) {
          return "unknown route " + choice.substr(equals + 1) + " (bayesian, normal_delta)";
        }
        return {};
      },
      "METRIC=ROUTE");
}

// Options every analysing command shares, bound to `settings`.
void add_analysis_options(CLI::App& command, AnalysisSettings& settings) {
  command.add_option("--experience", settings.experiences, "Only these experiment ids");
  command.add_option("--draws", settings.options.sampling.draws, "Monte Carlo draws per cell")
      ->check(CLI::Range(std::uint64_t{1000}, std::uint64_t{1'000'000'000}));
  command.add_option("--seed", settings.options.sampling.seed,
                     "Seed of the random streams (same seed, same output)");
  command.add_option("--threads", settings.threads, "Worker threads (0: every core)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1024}));
  command.add_option("--level", settings.options.sampling.level, "Credible level of intervals")
      ->check(CLI::Range(0.5, 0.9999));
  command
      .add_option_function<std::vector<double>>(
          "--prior",
          [&settings](const std::vector<double>& ab) {
            settings.options.prior = {ab[0], ab[1]};
          },
          "Beta prior of rates as a,b (default 1,1)")
      ->delimiter(',')
      ->expected(2)
      ->check(CLI::PositiveNumber);
  command.add_flag("--exact", settings.options.exact,
                   "Exact p2bc, p2bb and intervals for Beta-Binomial cells");
  command.add_option("--metric", settings.options.metrics, "Only these metrics (repeatable)")
      ->check(CLI::IsMember(metric_names()));
  command
      .add_option_function<std::vector<std::string>>(
          "--model",
          [&settings](const std::vector<std::string>& choices) {
            for (const std::string& choice : choices) {
              const std::size_t equals = choice.find('=');
              settings.options.routes[choice.substr(0, equals)] =
                  k_routes.at(choice.substr(equals + 1));
            }
          },
          "Model route of a metric, METRIC=bayesian|normal_delta (repeatable)")
      ->check(route_choice_validator());
}

void add_format_option(CLI::App& command, AnalysisSettings& settings) {
  const std::map<std::string, OutputFormat> formats{
      {"json", OutputFormat::json}, {"csv", OutputFormat::csv}, {"table", OutputFormat::table}};
  command.add_option("--format", settings.format, "Output format: json, csv or table")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
  command.add_option("-o,--output", settings.output_path,
                     "Write to this file (atomically) instead of stdout");
}

int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App cli{"Reckon: offline Bayesian re-analysis of A/B test results", "reckon"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", RECKON_VERSION);
  bool quiet = false;
  bool verbose = false;
  cli.add_flag("-q,--quiet", quiet, "Print no diagnostics on stderr");
  cli.add_flag("-v,--verbose", verbose, "Print more diagnostics on stderr");

  AnalysisSettings analyze_settings;
  CLI::App* analyze = cli.add_subcommand("analyze", "Recompute every statistic of the input");
  analyze->add_option("--counts", analyze_settings.counts_path, "A counts CSV (SPEC §3)")
      ->required();
  add_analysis_options(*analyze, analyze_settings);
  add_format_option(*analyze, analyze_settings);

  AnalysisSettings demo_settings;
  std::string demo_out = "reckon-demo";
  CLI::App* demo = cli.add_subcommand("demo", "Report on the embedded demo account");
  demo->add_option("--out", demo_out, "Folder for the report")->capture_default_str();
  add_analysis_options(*demo, demo_settings);

  SimulateSettings simulate_settings;
  CLI::App* simulate =
      cli.add_subcommand("simulate", "Simulate a store: vendor API responses, counts and truth");
  simulate->add_option("--scenario", simulate_settings.scenario_path, "Scenario file (JSON)")
      ->required();
  simulate->add_option("--out", simulate_settings.out_dir, "Folder for the generated files")
      ->required();
  simulate->add_option_function<std::uint64_t>(
      "--seed", [&simulate_settings](std::uint64_t seed) { simulate_settings.seed = seed; },
      "Seed of the simulation (default: the scenario's)");
  simulate->add_option("--threads", simulate_settings.threads, "Worker threads (0: every core)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1024}));

  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.c_str());
  }
  try {
    cli.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << cli.help();
    return k_exit_success;
  } catch (const CLI::CallForAllHelp&) {
    out << cli.help("", CLI::AppFormatMode::All);
    return k_exit_success;
  } catch (const CLI::CallForVersion&) {
    out << RECKON_VERSION << '\n';
    return k_exit_success;
  } catch (const CLI::ParseError& error) {
    err << "reckon: " << error.what() << "\nRun with --help for usage.\n";
    return k_exit_usage;
  }

  const Console console{out, err, quiet, verbose && !quiet};
  util::Result<void> outcome;
  if (analyze->parsed()) {
    outcome = run_analyze(analyze_settings, console);
  } else if (demo->parsed()) {
    outcome = run_demo(demo_settings, demo_out, console);
  } else if (simulate->parsed()) {
    outcome = run_simulate(simulate_settings, console);
  }
  if (!outcome) {
    err << "reckon: " << outcome.error().describe() << '\n';
    return exit_code_for(outcome.error().code);
  }
  return k_exit_success;
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    return dispatch(args, out, err);
  } catch (const std::exception& error) {
    err << "reckon: internal error: " << error.what() << '\n';
  } catch (...) {
    err << "reckon: internal error\n";
  }
  return k_exit_internal;
}

} // namespace reckon::app
