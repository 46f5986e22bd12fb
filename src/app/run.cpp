#include "reckon/app/run.hpp"

#include "commands.hpp"
#include "settings.hpp"

#include <CLI/CLI.hpp>

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
