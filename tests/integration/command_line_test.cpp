// The command line as a new user meets it (issue 14 point 5): unknown commands and options
// name themselves and the nearest real one, a missing command lists the commands, --help shows
// defaults and choices by name, -q and -v work on either side of the command, and every option
// error reads "reckon: option: problem".
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

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
       "reckon: --draws: expected a whole number in [1000, 1000000000], got 12"},
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

} // namespace
} // namespace reckon::test
