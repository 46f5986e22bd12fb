#include "reckon/app/run.hpp"

#include "command_line.hpp"
#include "commands.hpp"
#include "fetch_parts.hpp"
#include "health_config.hpp"
#include "health_notify.hpp"
#include "health_runs.hpp"
#include "mpi_ranks.hpp"
#include "option_checks.hpp"
#include "settings.hpp"

#include "reckon/analysis/metrics.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include <exception>
#include <new>
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

// Seeds and counts take every value of their 64 bits and nothing else ("-1" would wrap).
const CLI::Validator k_any_uint64 =
    number_in(std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max());
// Beta prior parameters are positive (Beta(0, 0) is improper) and finite; past a million
// pseudo-observations a prior is no longer a prior but a fixed answer.
constexpr double k_largest_prior = 1e6;

const std::map<std::string, analysis::ModelRoute> k_routes{
    {"bayesian", analysis::ModelRoute::bayesian},
    {"normal_delta", analysis::ModelRoute::normal_delta}};

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const analysis::MetricDefinition& metric : analysis::metric_catalogue()) {
    if (metric.modelled()) {
      names.emplace_back(metric.name);
    }
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

// The thresholds of the verdict rule (research/intelligems-api.md §2.1).
void add_verdict_options(CLI::App& command, analysis::VerdictRule& rule) {
  command.add_option("--threshold", rule.threshold, "P(beat control) a winner needs")
      ->check(number_in(0.5, 0.9999))
      ->capture_default_str();
  command.add_option("--band", rule.neutral_band, "Uplifts within ±band are no change")
      ->check(number_in(0.0, 1.0))
      ->capture_default_str();
  command.add_option("--min-days", rule.min_runtime_days, "Days a test runs before a verdict")
      ->check(number_in(0, 3650))
      ->capture_default_str();
  command.add_option("--min-visitors", rule.min_visitors, "Visitors each arm needs for a verdict")
      ->check(number_in(std::uint64_t{0}, std::uint64_t{1'000'000'000'000}))
      ->capture_default_str();
  command
      .add_option("--min-orders", rule.min_orders,
                  "Orders variant and control need together for a verdict")
      ->check(number_in(std::uint64_t{0}, std::uint64_t{1'000'000'000'000}))
      ->capture_default_str();
}

// Options every analysing command shares, bound to `settings`.
void add_analysis_options(CLI::App& command, AnalysisSettings& settings) {
  add_verdict_options(command, settings.options.verdict);
  command.add_option("--experience", settings.experiences, "Only these tests (id, slug or name)")
      ->default_str("all");
  // No upper bound but the memory the draws need (memory_budget.hpp checks it).
  command.add_option("--draws", settings.options.sampling.draws, "Monte Carlo draws per cell")
      ->check(at_least(1000))
      ->capture_default_str();
  command
      .add_option("--seed", settings.options.sampling.seed,
                  "Seed of the random streams (same seed, same output)")
      ->check(k_any_uint64)
      ->capture_default_str();
  command.add_option("--threads", settings.threads, "Worker threads (0: every core)")
      ->check(number_in(std::size_t{0}, std::size_t{1024}))
      ->capture_default_str();
  command.add_option("--level", settings.options.sampling.level, "Credible level of intervals")
      ->check(number_in(0.5, 0.9999))
      ->capture_default_str();
  command
      .add_option_function<std::vector<double>>(
          "--prior",
          [&settings](const std::vector<double>& ab) {
            settings.options.prior = {ab[0], ab[1]};
          },
          "Beta prior of rates as a,b")
      ->delimiter(',')
      ->expected(2)
      ->check(number_in(0.0, k_largest_prior, true))
      ->default_str("1,1");
  // Exact answers are the default; --exact stays accepted for the scripts that pass it.
  CLI::Option* exact = command.add_flag("--exact", settings.options.exact,
                                        "Exact answers where they exist (the default)");
  command
      .add_flag_callback(
          "--monte-carlo", [&settings] { settings.options.exact = false; },
          "Draw every number by Monte Carlo, also where an exact answer exists")
      ->excludes(exact);
  command.add_option("--metric", settings.options.metrics, "Only these metrics (repeatable)")
      ->check(CLI::IsMember(metric_names()))
      ->default_str("all the data support");
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
          "Model route of a metric, METRIC=bayesian|normal_delta (repeatable; default: "
          "bayesian)")
      ->check(route_choice_validator());
}

// Where an analysing command reads its data: a store (the default, reckon.db) or a counts CSV.
void add_input_options(CLI::App& command, AnalysisSettings& settings) {
  CLI::Option* store =
      command.add_option("--store", settings.store_path, "The store (SQLite) to analyse")
          ->capture_default_str();
  command.add_option("--counts", settings.counts_path, "A counts CSV (SPEC §3) instead")
      ->excludes(store);
  // Day windows carry their date and zone since fetch stores them; --tz is kept one release so
  // that scripts written for it still run.
  command.add_option_function<std::string>(
      "--tz", [&settings](const std::string&) { settings.ignored_zone = true; },
      "Ignored: day windows carry their date and zone");
  for (auto [name, bound] :
       {std::pair{"--from", &settings.days.from}, {"--to", &settings.days.to}}) {
    command
        .add_option_function<std::string>(
            // An init-capture: clang 14 (the fuzz build) cannot capture a structured binding.
            name, [target = bound](const std::string& text) { *target = util::Date::parse(text); },
            std::string(name == std::string_view("--from") ? "First" : "Last") +
                " day analysed (YYYY-MM-DD); whole-window slices are rebuilt from the kept days")
        ->check(calendar_date());
  }
}

void note_ignored_zone(const AnalysisSettings& settings, const Console& console) {
  if (settings.ignored_zone) {
    console.info("--tz is no longer needed: day windows carry their date and zone since fetch "
                 "stored them; ignored");
  }
}

void add_check_options(CLI::App& command, CheckSettings& settings) {
  command
      .add_option("--tolerance", settings.rule.tolerance_k,
                  "K of the drift rule |reported - recomputed| > K sqrt(se_r^2 + se_o^2)")
      ->check(number_in(0.5, 100.0))
      ->capture_default_str();
  command
      .add_option("--vendor-draws", settings.rule.vendor_draws,
                  "Monte Carlo draws behind the vendor's numbers")
      ->check(number_in(std::uint64_t{100}, std::uint64_t{100'000'000}))
      ->capture_default_str();
  // Either flag replaces the boundary inferred from the account by a fixed one.
  const auto fix_null_rule = [&settings](const std::string&) {
    settings.rule.fixed_null_rule = true;
  };
  command
      .add_option("--low-data-visitors", settings.rule.low_data_visitors,
                  "Fix the null rule: statistics null below this many visitors in an arm "
                  "(100 when only --low-data-events is given; default: the account's own boundary)")
      ->check(k_any_uint64)
      ->each(fix_null_rule);
  command
      .add_option("--low-data-events", settings.rule.low_data_events,
                  "... or below this many events (orders, or the rate's successes; 30 when only "
                  "--low-data-visitors is given)")
      ->check(k_any_uint64)
      ->each(fix_null_rule);
  command.add_option("--junit", settings.junit_path, "Also write the checks as JUnit XML");
  command
      .add_option_function<std::string>(
          "--fail-on", [&settings](const std::string&) { settings.fail_on_drift = true; },
          "Exit 1 when a check fails: drift")
      ->check(CLI::IsMember({"drift"}));
  command
      .add_option_function<std::int64_t>(
          "--since", [&settings](std::int64_t run) { settings.since = run; },
          "Show how the vendor's figures moved since this earlier check run")
      ->check(number_in(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()));
  command.add_flag("!--no-save", settings.save_run, "Do not keep this run in the store");
}

// The health rules' thresholds (analysis/health.hpp) and how the command answers.
void add_health_options(CLI::App& command, HealthSettings& settings) {
  analysis::HealthThresholds& rules = settings.thresholds;
  command.add_option("--min-runtime", rules.min_runtime_days, "min_runtime: days before healthy")
      ->check(number_in(0, 3650))
      ->capture_default_str();
  command.add_option("--min-arm-visitors", rules.min_visitors, "min_visitors: in every variation")
      ->check(k_any_uint64)
      ->capture_default_str();
  command.add_option("--min-arm-orders", rules.min_orders, "min_orders: in every variation")
      ->check(k_any_uint64)
      ->capture_default_str();
  command
      .add_option("--drop-threshold", rules.conversion_drop,
                  "conversion_drop: (control - variant) / control at or past this")
      ->check(number_in(0.01, 0.99))
      ->capture_default_str();
  command
      .add_option("--drop-evidence", rules.drop_evidence,
                  "conversion_drop is critical when P(drop >= threshold) reaches this")
      ->check(number_in(0.5, 0.9999))
      ->capture_default_str();
  command.add_option("--srm-p", rules.srm_p_value, "srm: critical below this chi-square p")
      ->check(number_in(1e-12, 0.5))
      ->capture_default_str();
  command.add_option("--stalled-days", rules.stalled_days, "stalled: days without a visitor")
      ->check(number_in(1, 365))
      ->capture_default_str();
  command
      .add_option_function<std::string>(
          "--as-of",
          [&settings](const std::string& text) { settings.as_of = util::Date::parse(text); },
          "The day judged (YYYY-MM-DD; default: the data's last day, else today)")
      ->check(calendar_date());
  command.add_option("--adaptive", settings.adaptive,
                     "A test whose allocation adapts (a bandit): srm does not apply");
  // By name, so that a wrong one is told the names ("sometimes not in {critical,watch}").
  command
      .add_option_function<std::string>(
          "--fail-on",
          [&settings](const std::string& name) {
            settings.fail_on =
                name == "watch" ? analysis::HealthStatus::watch : analysis::HealthStatus::critical;
          },
          "Exit 1 when a test is at this status or worse: critical or watch")
      ->check(CLI::IsMember({"critical", "watch"}));
}

void add_format_option(CLI::App& command, AnalysisSettings& settings) {
  // Bound by name, so that --help and its errors show names, never the enum's numbers.
  command
      .add_option_function<std::string>(
          "--format",
          [&settings](const std::string& name) {
            settings.format = name == "json"  ? OutputFormat::json
                              : name == "csv" ? OutputFormat::csv
                                              : OutputFormat::table;
          },
          "Output format")
      ->transform(CLI::IsMember({"table", "json", "csv"}, CLI::ignore_case))
      ->default_str("table");
  command
      .add_option("-o,--output", settings.output_path,
                  "Write to this file (atomically) instead of stdout")
      ->default_str("stdout");
}

void add_fetch_options(CLI::App& command, FetchSettings& settings) {
  command.add_option("--source", settings.source, "The API to pull from")
      ->check(CLI::IsMember(fetch_sources()))
      ->capture_default_str();
  command
      .add_option("--auth-header", settings.auth_header,
                  "bandit: send the key as `Authorization: Bearer KEY` or in `x-api-key`")
      ->check(CLI::IsMember({"authorization", "x-api-key"}))
      ->capture_default_str();
  command.add_option("--base-url", settings.base_url, "The API's address")
      ->check(http_url())
      ->capture_default_str();
  command.add_option("--store", settings.store_path, "The store (SQLite)")->capture_default_str();
  command.add_option("--api-key-file", settings.api_key_file,
                     "Read the API key from this file instead of " + key_variables() +
                         " (the --source's)");
  command.add_option("--experience", settings.experiences, "Only these experience ids")
      ->default_str("all");
  command.add_option("--status", settings.status, "Only experiences with this status")
      ->check(CLI::IsMember({"started", "ended", "paused", "pending"}))
      ->default_str("any");
  command
      .add_option("--segments", settings.segments,
                  "Audience dimensions: all, none, or a comma-separated list")
      ->capture_default_str();
  command.add_flag("--days", settings.days, "Also one analytics window per day of each test");
  command.add_option("--day-segments", settings.day_segments,
                     "Also each day window's audience views by these dimensions (comma-separated, "
                     "or all; implies --days; one request per day and dimension)");
  command.add_option("--from", settings.from, "First day of the day windows (YYYY-MM-DD)");
  command.add_option("--to", settings.to,
                     "Last day of the day windows and of the sitewide window (YYYY-MM-DD)");
  command.add_option("--tz", settings.zone, "Time zone days are cut in (UTC, +02:00, IANA)")
      ->capture_default_str();
  command
      .add_option("--api", settings.api,
                  "API generation: current (POST analytics, four sitewide endpoints) or "
                  "legacy (GET analytics, flat sitewide)")
      ->check(CLI::IsMember({"current", "legacy"}))
      ->capture_default_str();
  command.add_flag("!--no-sitewide", settings.sitewide, "Skip the sitewide analytics");
  command.add_option("--sitewide-days", settings.sitewide_days, "Days in the sitewide window")
      ->check(number_in(1, 366))
      ->capture_default_str();
  command.add_option("--page-size", settings.page_size, "Experiences per list page")
      ->check(number_in(1, 100))
      ->capture_default_str();
  command
      .add_option("--rate", settings.requests_per_second,
                  "Requests per second at most (0: no pacing)")
      ->check(number_in(0.0, 1000.0))
      ->capture_default_str();
  command.add_option("--max-attempts", settings.max_attempts, "Tries per request")
      ->check(number_in(1, 20))
      ->capture_default_str();
  command
      .add_option("--first-backoff", settings.first_backoff_s,
                  "Seconds before the first retry when the server gives no hint; doubles")
      ->check(number_in(0.0, 600.0))
      ->capture_default_str();
  command.add_option("--max-wait", settings.max_wait_s, "Longest single wait, seconds")
      ->check(number_in(0.0, 3600.0))
      ->capture_default_str();
  command.add_option("--connect-timeout", settings.connect_timeout_s, "Seconds to connect")
      ->check(number_in(0.1, 600.0))
      ->capture_default_str();
  command.add_option("--timeout", settings.timeout_s, "Seconds for a whole request")
      ->check(number_in(0.1, 3600.0))
      ->capture_default_str();
  command
      .add_option("--max-response-mb", settings.max_response_mb,
                  "Largest response read, in MB (10^6 bytes); a larger one stops the fetch")
      ->check(number_in(std::uint64_t{1}, std::uint64_t{1'000'000}))
      ->capture_default_str();
}

// Every command's settings, and the subcommand each parse fills.
struct Commands {
  AnalysisSettings analyze_settings;
  AnalysisSettings list_settings;
  CheckSettings check_settings;
  TemporalSettings temporal_settings;
  DemoSettings demo_settings;
  SegmentsSettings segments_settings;
  HealthSettings health_settings;
  std::string health_config; // --config FILE: applied after parsing, where no flag gave a value
  ReportSettings report_settings;
  SimulateSettings simulate_settings;
  FetchSettings fetch_settings;
  std::string import_input;
  std::string import_store = "reckon.db";
  std::string export_store = "reckon.db";
  std::string export_out;
  std::string store_path = "reckon.db";
  std::int64_t prune_keep = 0;

  CLI::App* analyze = nullptr;
  CLI::App* list = nullptr;
  CLI::App* check = nullptr;
  CLI::App* temporal = nullptr;
  CLI::App* demo = nullptr;
  CLI::App* segments = nullptr;
  CLI::App* health = nullptr;
  CLI::App* report = nullptr;
  CLI::App* simulate = nullptr;
  CLI::App* fetch = nullptr;
  CLI::App* import = nullptr;
  CLI::App* export_command = nullptr;
  CLI::App* store_runs = nullptr;
  CLI::App* store_prune = nullptr;
};

// The commands that analyse data: analyze, check, temporal and demo.
void add_analysing_commands(CLI::App& cli, Commands& commands) {
  commands.analyze = cli.add_subcommand("analyze", "Recompute every statistic of the input");
  add_input_options(*commands.analyze, commands.analyze_settings);
  add_analysis_options(*commands.analyze, commands.analyze_settings);
  add_format_option(*commands.analyze, commands.analyze_settings);
  commands.analyze->add_flag("--detail", commands.analyze_settings.detail,
                             "Table of every slice (overall, segments, days), not the summary");

  commands.list = cli.add_subcommand("list", "List the tests of the input: name, status, visitors");
  add_input_options(*commands.list, commands.list_settings);
  commands.list->add_option("--experience", commands.list_settings.experiences,
                            "Only these tests (id, slug or name)");
  add_format_option(*commands.list, commands.list_settings);

  CheckSettings& check_settings = commands.check_settings;
  commands.check =
      cli.add_subcommand("check", "Compare the vendor's reported statistics with recomputed ones");
  add_input_options(*commands.check, check_settings.analysis);
  add_analysis_options(*commands.check, check_settings.analysis);
  add_format_option(*commands.check, check_settings.analysis);
  add_check_options(*commands.check, check_settings);

  TemporalSettings& temporal = commands.temporal_settings;
  commands.temporal = cli.add_subcommand(
      "temporal", "Each test day by day: weekday against weekend, cumulative, trend");
  add_input_options(*commands.temporal, temporal.analysis);
  add_analysis_options(*commands.temporal, temporal.analysis);
  add_format_option(*commands.temporal, temporal.analysis);
  commands.temporal->add_flag("--all", temporal.all,
                              "Every metric's days, the weekday profile, trend and sources");

  DemoSettings& demo = commands.demo_settings;
  commands.demo = cli.add_subcommand(
      "demo", "The whole pipeline on the demo account's saved API responses, into a report");
  commands.demo
      ->add_option("--data", demo.data_dir, "The demo account's saved responses (a folder)")
      ->capture_default_str();
  commands.demo->add_option("--out", demo.out_dir, "Folder for the report and its store")
      ->capture_default_str();
  add_analysis_options(*commands.demo, demo.analysis);

  commands.segments = cli.add_subcommand("segments", "Where a variant wins: per-segment verdicts");
  add_input_options(*commands.segments, commands.segments_settings.analysis);
  add_analysis_options(*commands.segments, commands.segments_settings.analysis);
  add_format_option(*commands.segments, commands.segments_settings.analysis);
  commands.segments->add_flag("--all", commands.segments_settings.all,
                              "List every segment, not only those worth reading (as -v)");

  HealthSettings& health = commands.health_settings;
  commands.health =
      cli.add_subcommand("health", "Each test's health: status, reasons, days to a verdict");
  add_input_options(*commands.health, health.analysis);
  add_analysis_options(*commands.health, health.analysis);
  add_format_option(*commands.health, health.analysis);
  add_health_options(*commands.health, health);
  add_notify_options(*commands.health, health.notify);
  commands.health->add_option(
      "--config", commands.health_config,
      "Thresholds and alert options from this TOML or JSON file; flags override it");
  add_health_run_options(*commands.health, health);
  commands.report = cli.add_subcommand("report", "Write a report folder: index.html, results.json");
  add_input_options(*commands.report, commands.report_settings.analysis);
  add_analysis_options(*commands.report, commands.report_settings.analysis);
  commands.report->add_option("--out", commands.report_settings.out_dir, "Folder for the report")
      ->required();
}

void add_simulate_command(CLI::App& cli, Commands& commands) {
  SimulateSettings& settings = commands.simulate_settings;
  CLI::App* simulate =
      cli.add_subcommand("simulate", "Simulate a store: vendor API responses, counts and truth");
  simulate->add_option("--scenario", settings.scenario_path, "Scenario file (JSON)")->required();
  simulate->add_option("--out", settings.out_dir, "Folder for the generated files")->required();
  simulate
      ->add_option_function<std::uint64_t>(
          "--seed", [&settings](std::uint64_t seed) { settings.seed = seed; },
          "Seed of the simulation (default: the scenario's)")
      ->check(k_any_uint64);
  simulate->add_flag("--honest", settings.honest, "Leave out the scenario's planted vendor errors");
  simulate->add_option("--threads", settings.threads, "Worker threads (0: every core)")
      ->check(number_in(std::size_t{0}, std::size_t{1024}))
      ->capture_default_str();
  commands.simulate = simulate;
}

// The commands that fill, empty and tidy the store: fetch, import, export, store.
void add_store_commands(CLI::App& cli, Commands& commands) {
  commands.fetch = cli.add_subcommand("fetch", "Pull experiences' analytics into the store");
  add_fetch_options(*commands.fetch, commands.fetch_settings);

  commands.import =
      cli.add_subcommand("import", "Load saved API responses (a folder) or a counts CSV");
  commands.import
      ->add_option("input", commands.import_input, "A folder of saved responses, or a counts CSV")
      ->required();
  commands.import->add_option("--store", commands.import_store, "The store (SQLite)")
      ->capture_default_str();

  commands.export_command =
      cli.add_subcommand("export", "Write the store's responses out as a folder");
  commands.export_command->add_option("--store", commands.export_store, "The store (SQLite)")
      ->capture_default_str();
  commands.export_command->add_option("--out", commands.export_out, "Folder to write")->required();

  CLI::App* store = cli.add_subcommand("store", "List or prune the check runs kept in the store");
  store->require_subcommand(1);
  commands.store_runs = store->add_subcommand("runs", "List the kept check runs");
  commands.store_prune =
      store->add_subcommand("prune", "Delete all but the newest N check runs; reclaim the space");
  for (CLI::App* command : {commands.store_runs, commands.store_prune}) {
    command->add_option("--store", commands.store_path, "The store (SQLite)")
        ->capture_default_str();
  }
  commands.store_prune->add_option("--keep", commands.prune_keep, "How many runs to keep")
      ->required()
      ->check(number_in(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()));
}

// Parses the arguments into `cli`'s settings; an exit code when parsing already answered
// (help, version, a usage error).
std::optional<int> parse_arguments(CLI::App& cli, const std::vector<std::string>& args,
                                   std::ostream& out, std::ostream& err) {
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.c_str());
  }
  if (const std::optional<std::string> unknown = unknown_command(cli, args)) {
    err << "reckon: " << *unknown << '\n';
    return k_exit_usage;
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
    // Not flushed here: a failed write to stdout is reported once, at exit, with its errno.
    // Then whether this build shares a job among MPI ranks.
    out << RECKON_VERSION << '\n' << mpi_support() << '\n';
    return k_exit_success;
  } catch (const CLI::ParseError& error) {
    cli.exit(error, out, err); // through describe_parse_error
    return k_exit_usage;
  }
  return std::nullopt;
}

int report_failure(const util::Error& error, const Console& console) {
  console.err << "reckon: " << util::printable(error.describe()) << '\n';
  return exit_code_for(error.code);
}

// Runs the command that was parsed and turns its outcome into the exit code.
int run_parsed(const Commands& commands, const Console& console) {
  util::Result<void> outcome;
  if (commands.analyze->parsed()) {
    note_ignored_zone(commands.analyze_settings, console);
    outcome = run_analyze(commands.analyze_settings, console);
  } else if (commands.list->parsed()) {
    outcome = run_list(commands.list_settings, console);
  } else if (commands.check->parsed()) {
    note_ignored_zone(commands.check_settings.analysis, console);
    const util::Result<bool> failed = run_check(commands.check_settings, console);
    if (failed && *failed) {
      return k_exit_findings;
    }
    outcome = failed ? util::Result<void>() : util::Result<void>(failed.error());
  } else if (commands.temporal->parsed()) {
    note_ignored_zone(commands.temporal_settings.analysis, console);
    outcome = run_temporal(commands.temporal_settings, console);
  } else if (commands.segments->parsed()) {
    note_ignored_zone(commands.segments_settings.analysis, console);
    outcome = run_segments(commands.segments_settings, console);
  } else if (commands.health->parsed()) {
    note_ignored_zone(commands.health_settings.analysis, console);
    const util::Result<bool> failed = run_health(commands.health_settings, console);
    if (failed && *failed) {
      return k_exit_findings;
    }
    outcome = failed ? util::Result<void>() : util::Result<void>(failed.error());
  } else if (commands.report->parsed()) {
    note_ignored_zone(commands.report_settings.analysis, console);
    outcome = run_report(commands.report_settings, console);
  } else if (commands.demo->parsed()) {
    outcome = run_demo(commands.demo_settings, console);
  } else if (commands.simulate->parsed()) {
    outcome = run_simulate(commands.simulate_settings, console);
  } else if (commands.fetch->parsed()) {
    outcome = run_fetch(commands.fetch_settings, console);
  } else if (commands.import->parsed()) {
    outcome = run_import(commands.import_input, commands.import_store, console);
  } else if (commands.export_command->parsed()) {
    outcome = run_export(commands.export_store, commands.export_out, console);
  } else if (commands.store_runs->parsed()) {
    outcome = run_store_runs(commands.store_path, console);
  } else if (commands.store_prune->parsed()) {
    outcome = run_store_prune(commands.store_path, commands.prune_keep, console);
  }
  if (!outcome) {
    return report_failure(outcome.error(), console);
  }
  return k_exit_success;
}

// reckon health's settings file, applied where no flag gave a value, then its alert options
// checked together: before anything is analysed or written.
util::Result<void> prepare_health(Commands& commands, const Console& console) {
  if (!commands.health_config.empty()) {
    if (auto configured = apply_health_config(*commands.health, commands.health_config, console);
        !configured) {
      return configured.error();
    }
  }
  return check_notify_settings(commands.health_settings.notify, console);
}

int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
             RedactingBuffer& redaction) {
  CLI::App cli{"Reckon: offline Bayesian re-analysis of A/B test results", "reckon"};
  cli.require_subcommand(1);
  // Subcommands inherit it: -q and -v work after the command too (`reckon analyze -q`).
  cli.fallthrough();
  cli.failure_message(describe_parse_error);
  cli.set_version_flag("--version", RECKON_VERSION);
  bool quiet = false;
  bool verbose = false;
  cli.add_flag("-q,--quiet", quiet, "Print no diagnostics on stderr");
  cli.add_flag("-v,--verbose", verbose, "Print more diagnostics on stderr");
  Commands commands;
  add_analysing_commands(cli, commands);
  add_simulate_command(cli, commands);
  add_store_commands(cli, commands);
  if (const std::optional<int> answered = parse_arguments(cli, args, out, err)) {
    return *answered;
  }
  const Console console{out, err, redaction, quiet, verbose && !quiet};
  if (commands.health->parsed()) {
    if (auto prepared = prepare_health(commands, console); !prepared) {
      return report_failure(prepared.error(), console);
    }
  }
  return run_parsed(commands, console);
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  RedactingBuffer redaction(err);
  std::ostream diagnostics(&redaction);
  try {
    return dispatch(args, out, diagnostics, redaction);
  } catch (const std::bad_alloc&) {
    diagnostics << "reckon: out of memory: the command needed more than this process may "
                   "allocate (physical memory, or a limit such as ulimit -v); analyse less at "
                   "once (--experience) or allow it more\n";
    return k_exit_bad_input;
  } catch (const std::exception& error) {
    diagnostics << "reckon: internal error: " << util::printable(error.what()) << '\n';
  } catch (...) {
    diagnostics << "reckon: internal error\n";
  }
  return k_exit_internal;
}

} // namespace reckon::app
