// The command line as a new user meets it (issue 14 point 5): unknown commands and options
// name themselves and the nearest real one, a missing command lists the commands, --help shows
// defaults and choices by name, -q and -v work on either side of the command, and every option
// error reads "reckon: option: problem".
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

ProcessResult reckon(const std::vector<std::string>& args) {
  return run_process(k_binary, args, fresh_temp_dir("command-line"));
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

TEST(CommandLine, AnUnknownCommandNamesItselfAndTheNearest) {
  const ProcessResult analyse = reckon({"analyse", "--counts", "x.csv"});
  EXPECT_EQ(analyse.exit_code, 2);
  EXPECT_EQ(analyse.err, "reckon: unknown command \"analyse\"; did you mean \"analyze\"?\n");
  EXPECT_EQ(analyse.out, "");
  // After global flags, and one level down.
  EXPECT_EQ(reckon({"-q", "segmets"}).err,
            "reckon: unknown command \"segmets\"; did you mean \"segments\"?\n");
  EXPECT_EQ(reckon({"store", "rnus"}).err,
            "reckon: unknown command \"rnus\" of reckon store; did you mean \"runs\"?\n");
  // Nothing near: where the commands are listed. --help after it does not hide the mistake.
  const ProcessResult far = reckon({"frobnicate", "--help"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.err, "reckon: unknown command \"frobnicate\"; reckon --help lists the commands\n");
  // An option's value is not taken for a command.
  EXPECT_EQ(reckon({"import", "--store", "runs"}).err.find("unknown command"), std::string::npos);
}

TEST(CommandLine, NoCommandListsTheCommandsOneLineEach) {
  const ProcessResult none = reckon({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(first_line(none.err), "reckon: a command is required");
  EXPECT_NE(none.err.find("\n  analyze   Recompute every statistic of the input\n"),
            std::string::npos)
      << none.err;
  EXPECT_NE(none.err.find("\n  store     List or prune the check runs kept in the store\n"),
            std::string::npos)
      << none.err;
  const ProcessResult store = reckon({"store"});
  EXPECT_EQ(store.exit_code, 2);
  EXPECT_NE(store.err.find("Usage: reckon store COMMAND"), std::string::npos) << store.err;
  EXPECT_NE(store.err.find("\n  prune  Delete all but the newest N check runs"), std::string::npos)
      << store.err;
}

TEST(CommandLine, AnUnknownOptionNamesTheCommandAndTheNearestOption) {
  const ProcessResult thread = reckon({"analyze", "--counts", "x.csv", "--thread", "4"});
  EXPECT_EQ(thread.exit_code, 2);
  EXPECT_EQ(thread.err, "reckon: --thread: not an option of reckon analyze; did you mean "
                        "--threads?\n");
  EXPECT_EQ(reckon({"fetch", "--max-atempts=3"}).err,
            "reckon: --max-atempts: not an option of reckon fetch; did you mean --max-attempts?\n");
  EXPECT_EQ(first_line(reckon({"check", "--zzz"}).err),
            "reckon: --zzz: not an option of reckon check; reckon check --help lists them");
  EXPECT_EQ(first_line(reckon({"analyze", "counts.csv"}).err),
            "reckon: \"counts.csv\": unexpected argument; reckon analyze takes options only "
            "(reckon analyze --help lists them)");
}

TEST(CommandLine, HelpShowsDefaultsAndChoicesByName) {
  const ProcessResult help = reckon({"analyze", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_EQ(help.out.find("->"), std::string::npos) << help.out; // no enum numbers
  EXPECT_EQ(help.out.find("ENUM"), std::string::npos) << help.out;
  for (const std::string shown :
       {"--format TEXT:{table,json,csv}=table", "=100000",
        "--seed UINT:[0, 18446744073709551615]=0", "--threads UINT:[0, 1024]=0", "=0.95", "=1,1",
        "--store TEXT=reckon.db", "=stdout", "--experience TEXT=all", "=all the data support",
        "--threshold FLOAT:[0.5, 0.9999]=0.8"}) {
    EXPECT_NE(help.out.find(shown), std::string::npos) << shown << " in\n" << help.out;
  }
  const ProcessResult fetch = reckon({"fetch", "--help"});
  EXPECT_NE(fetch.out.find("--status TEXT:{started,ended,paused,pending}=any"), std::string::npos)
      << fetch.out;
}

TEST(CommandLine, QuietAndVerboseWorkBeforeAndAfterTheCommand) {
  const auto dir = fresh_temp_dir("quiet");
  write_text(dir / "counts.csv", "experiment,variation,is_control,segment_type,segment,date,"
                                 "visitors,conversions,revenue\n"
                                 "e1,a,true,,,,1000,100,5000\n"
                                 "e1,b,false,,,,1000,120,6100\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-q", "analyze", "--counts", "counts.csv", "--tz", "UTC"},
        {"analyze", "-q", "--counts", "counts.csv", "--tz", "UTC"},
        {"analyze", "--counts", "counts.csv", "--tz", "UTC", "--quiet"}}) {
    const ProcessResult quiet = run_process(k_binary, args, dir);
    EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_EQ(quiet.err, "") << args[0] << " " << args[1]; // the --tz note is silenced
    EXPECT_NE(quiet.out.find("e1"), std::string::npos);
  }
  // -q silences notes, never errors.
  const ProcessResult error = run_process(k_binary, {"analyze", "-q", "--counts", "none.csv"}, dir);
  EXPECT_EQ(error.exit_code, 3);
  EXPECT_EQ(first_line(error.err), "reckon: none.csv: cannot open for reading: No such file or "
                                   "directory");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-v", "analyze", "--counts", "counts.csv"},
        {"analyze", "--counts", "counts.csv", "-v"}}) {
    const ProcessResult verbose = run_process(k_binary, args, dir);
    EXPECT_EQ(verbose.exit_code, 0) << verbose.err;
    EXPECT_NE(verbose.err.find("reckon: read counts.csv"), std::string::npos) << verbose.err;
  }
}

TEST(CommandLine, OptionErrorsNameTheOptionFirst) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"analyze", "--draws"}, "reckon: --draws: needs a value"},
      {{"analyze", "--draws", "12"},
       "reckon: --draws: expected a whole number of at least 1000, got 12"},
      {{"analyze", "--prior", "1"}, "reckon: --prior: expected at least 2 values, got 1"},
      {{"analyze", "--counts", "a.csv", "--store", "b.db"},
       "reckon: --store: cannot be given with --counts; give one of them"},
      {{"simulate", "--out", "x"},
       "reckon: --scenario: required; reckon simulate --help "
       "describes it"},
      {{"analyze", "--format", "xml"}, "reckon: --format: xml not in {table,json,csv}"},
  };
  for (const auto& [args, message] : cases) {
    const ProcessResult result = reckon(args);
    EXPECT_EQ(result.exit_code, 2) << message;
    EXPECT_EQ(first_line(result.err), message);
    EXPECT_NE(result.err.find("Run reckon " + args[0] + " --help for usage."), std::string::npos)
        << result.err;
  }
}

TEST(CommandLine, TheFormatIsReadByNameInAnyCase) {
  const auto dir = fresh_temp_dir("format");
  write_text(dir / "counts.csv", "experiment,variation,is_control,segment_type,segment,date,"
                                 "visitors,conversions,revenue\n"
                                 "e1,a,true,,,,1000,100,5000\n"
                                 "e1,b,false,,,,1000,120,6100\n");
  const ProcessResult json =
      run_process(k_binary, {"analyze", "--counts", "counts.csv", "--format", "JSON"}, dir);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind("{", 0), 0U);
  const ProcessResult csv =
      run_process(k_binary, {"analyze", "--counts", "counts.csv", "--format", "csv"}, dir);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("experiment", 0), 0U) << first_line(csv.out);
}

// Conversion-only data: the conversion rate is analysed, revenue metrics are not (with a note and
// their reason in the JSON), and --metric naming one says why it cannot be.
TEST(CommandLine, ACountsCsvNeedsOnlyTheColumnsItUses) {
  const auto dir = fresh_temp_dir("conversions-only");
  write_text(dir / "conversions.csv", "experiment,variation,is_control,visitors,conversions\n"
                                      "e1,a,true,1000,100\n"
                                      "e1,b,false,1000,120\n");
  const ProcessResult json =
      run_process(k_binary, {"analyze", "--counts", "conversions.csv", "--format", "json"}, dir);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.err, "reckon: conversions.csv has no revenue column: conversions only, so "
                      "revenue per visitor and per order are not computed\n");
  EXPECT_NE(json.out.find("\"name\": \"conversion_rate\",\n          \"reanalysed\": true"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"name\": \"net_revenue_per_visitor\",\n          \"reanalysed\": "
                          "false,\n          \"reason\": \"the data have no revenue column\""),
            std::string::npos)
      << json.out;
  EXPECT_EQ(json.out.find("\"metric\": \"net_revenue_per_visitor\""), std::string::npos);

  const ProcessResult revenue = run_process(
      k_binary, {"analyze", "--counts", "conversions.csv", "--metric", "net_revenue_per_visitor"},
      dir);
  EXPECT_EQ(revenue.exit_code, 2);
  EXPECT_NE(revenue.err.find("reckon: --metric: net_revenue_per_visitor cannot be computed from "
                             "conversions.csv: the data have no revenue column\n"),
            std::string::npos)
      << revenue.err;
  EXPECT_EQ(revenue.out, "");
  // The same for profit without a profit column, by check and segments too.
  for (const std::string command : {"analyze", "check", "segments"}) {
    const ProcessResult profit = run_process(
        k_binary,
        {command, "--counts", "conversions.csv", "--metric", "gross_profit_per_order", "-q"}, dir);
    EXPECT_EQ(profit.exit_code, 2) << command;
    EXPECT_EQ(profit.err, "reckon: --metric: gross_profit_per_order cannot be computed from "
                          "conversions.csv: the data have no profit column\n");
  }
  // -q silences the note.
  const ProcessResult quiet =
      run_process(k_binary, {"analyze", "-q", "--counts", "conversions.csv"}, dir);
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
}

TEST(CommandLine, VerboseSaysWhatWasReadTheOptionsTheTimeAndWhereOutputWent) {
  const auto dir = fresh_temp_dir("verbose");
  write_text(dir / "counts.csv", "experiment,variation,is_control,date,visitors,conversions,"
                                 "revenue\n"
                                 "e1,a,true,,1000,100,5000\n"
                                 "e1,b,false,,1000,120,6100\n"
                                 "e1,a,true,2026-09-01,500,50,2500\n"
                                 "e1,b,false,2026-09-01,500,60,3000\n");
  const ProcessResult verbose = run_process(
      k_binary,
      {"analyze", "-v", "--counts", "counts.csv", "--draws", "2000", "--seed", "7", "--threads",
       "1", "--level", "0.9", "--prior", "2,3", "--metric", "conversion_rate", "-o", "out.txt"},
      dir);
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  std::istringstream lines(verbose.err);
  std::vector<std::string> notes;
  for (std::string line; std::getline(lines, line);) {
    notes.push_back(line);
  }
  ASSERT_EQ(notes.size(), 4U) << verbose.err;
  EXPECT_EQ(
      notes[0].rfind("reckon: read counts.csv: 1 experiment, 2 variations, 4 rows of counts (", 0),
      0U)
      << notes[0];
  EXPECT_EQ(notes[1], "reckon: options: draws 2,000, seed 7, threads 1, level 0.9, prior Beta(2, "
                      "3), metrics conversion_rate");
  EXPECT_EQ(notes[2].rfind("reckon: analysed in ", 0), 0U) << notes[2];
  const auto size = std::filesystem::file_size(dir / "out.txt");
  EXPECT_EQ(notes[3], "reckon: wrote " + std::to_string(size) + " bytes to out.txt");
}

} // namespace
} // namespace reckon::test
