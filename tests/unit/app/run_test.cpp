#include "reckon/app/run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace reckon::app {
namespace {

struct Captured {
  int code;
  std::string out;
  std::string err;
};

Captured run_with(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  std::vector<std::string> argv{"reckon"};
  argv.insert(argv.end(), args.begin(), args.end());
  const int code = run(argv, out, err);
  return {code, out.str(), err.str()};
}

TEST(Run, HelpGoesToStdoutAndSucceeds) {
  const Captured help = run_with({"--help"});
  EXPECT_EQ(help.code, k_exit_success);
  EXPECT_NE(help.out.find("analyze"), std::string::npos);
  EXPECT_NE(help.out.find("demo"), std::string::npos);
  EXPECT_EQ(help.err, "");
}

TEST(Run, VersionPrintsTheProjectVersion) {
  const Captured version = run_with({"--version"});
  EXPECT_EQ(version.code, k_exit_success);
  // Then whether this build shares `mpirun` jobs among ranks: "MPI: Open MPI v4.1.4" or "MPI:
  // none (built without libopenmpi-dev; ...)".
  EXPECT_EQ(version.out.rfind(std::string(RECKON_VERSION) + "\nMPI: ", 0), 0U) << version.out;
  EXPECT_EQ(std::count(version.out.begin(), version.out.end(), '\n'), 2) << version.out;
}

TEST(Run, NoCommandOrAnUnknownOneIsAUsageError) {
  const Captured none = run_with({});
  EXPECT_EQ(none.code, k_exit_usage);
  EXPECT_NE(none.err.find("--help"), std::string::npos);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(run_with({"frobnicate"}).code, k_exit_usage);
}

TEST(Run, BadOptionValuesAreUsageErrors) {
  EXPECT_EQ(run_with({"demo", "--draws", "10"}).code, k_exit_usage);
  EXPECT_EQ(run_with({"demo", "--prior", "1"}).code, k_exit_usage);
  EXPECT_EQ(run_with({"analyze", "--counts", "x.csv", "--format", "xml"}).code, k_exit_usage);
}

// Every numeric option names itself and what it expects; NaN, infinities, values that would
// wrap and values out of range never reach the analysis.
TEST(Run, NumericOptionsRejectNonFiniteWrappingAndOutOfRangeValues) {
  const std::vector<std::vector<std::string>> refused{
      {"demo", "--level", "nan"},
      {"demo", "--level", "inf"},
      {"demo", "--prior", "1,nan"},
      {"demo", "--prior", "1,-inf"},
      {"demo", "--prior", "1,0"},
      {"demo", "--prior", "1,-1"},
      {"demo", "--seed", "-1"},
      {"demo", "--seed", "18446744073709551616"},
      {"demo", "--draws", "1e4"},
      {"demo", "--draws", "-1000"},
      {"demo", "--threads", "-1"},
      {"check", "--tolerance", "nan"},
      {"check", "--vendor-draws", "-5"},
      {"check", "--low-data-visitors", "-1"},
      {"check", "--low-data-events", "nan"},
      {"check", "--since", "-3"},
      {"simulate", "--scenario", "s.json", "--out", "o", "--seed", "-1"},
      {"fetch", "--rate", "nan"},
      {"fetch", "--first-backoff", "inf"},
      {"fetch", "--max-wait", "-nan"},
      {"fetch", "--connect-timeout", "nan"},
      {"fetch", "--timeout", "inf"},
      {"fetch", "--max-attempts", "0"},
      {"fetch", "--page-size", "101"},
      {"fetch", "--sitewide-days", "nan"},
      {"store", "prune", "--keep", "-1"},
  };
  for (const std::vector<std::string>& args : refused) {
    const std::string option = args[args.size() - 2];
    // A list option names the element it refused.
    const std::size_t comma = args.back().rfind(',');
    const std::string value =
        comma == std::string::npos ? args.back() : args.back().substr(comma + 1);
    const Captured refusal = run_with(args);
    EXPECT_EQ(refusal.code, k_exit_usage) << option << ' ' << args.back();
    EXPECT_NE(refusal.err.find("reckon: " + option + ": expected a "), std::string::npos)
        << refusal.err;
    EXPECT_NE(refusal.err.find("got " + value + "\n"), std::string::npos) << refusal.err;
    EXPECT_EQ(refusal.out, "");
  }
}

TEST(Run, TheSeedTakesEveryValueOfSixtyFourBits) {
  // Past the options, the missing file is what stops the command.
  const Captured largest =
      run_with({"analyze", "--counts", "no-such.csv", "--seed", "18446744073709551615"});
  EXPECT_EQ(largest.code, k_exit_bad_input) << largest.err;
  EXPECT_NE(largest.err.find("no-such.csv"), std::string::npos) << largest.err;
}

// A base URL that cannot be one is a usage error before any request (it was retried as an
// outage for minutes); the message names the option and what is wrong.
TEST(Run, AMalformedBaseUrlIsAUsageErrorNamingTheOption) {
  const std::vector<std::pair<std::string, std::string>> refused{
      {"not a url", "must start with http:// or https://"},
      {"ftp://x", "must start with http:// or https://"},
      {"http://[::1", "no closing ]"},
      {"http://", "no host"},
      {"https://:443", "no host"},
      {"http://host:0", "port"},
      {"http://host:65536", "port"},
      {"http://host:80x", "port"},
      {"http://user:pw@host", "user name or password"},
      {"http://ho st", "space or a control character"},
      {"http://host/?a=1", "query or fragment"},
  };
  for (const auto& [url, reason] : refused) {
    const Captured refusal = run_with({"fetch", "--base-url", url});
    EXPECT_EQ(refusal.code, k_exit_usage) << url;
    EXPECT_NE(refusal.err.find("reckon: --base-url: " + url + ": "), std::string::npos)
        << refusal.err;
    EXPECT_NE(refusal.err.find(reason), std::string::npos) << refusal.err;
  }
}

// Text quoted from outside (here a file name) reaches the terminal with its control characters
// escaped: an escape sequence in a name cannot recolour or rewrite what the user sees.
TEST(Run, MessagesEscapeControlCharactersOfQuotedText) {
  const Captured missing = run_with({"analyze", "--counts", "no\x1b[2J\rsuch.csv"});
  EXPECT_EQ(missing.code, k_exit_bad_input);
  EXPECT_EQ(missing.err.rfind("reckon: no\\x1b[2J\\x0dsuch.csv: ", 0), 0U) << missing.err;
  EXPECT_EQ(missing.err.find('\x1b'), std::string::npos);
  const Captured usage = run_with({"demo", "--level", "\x1b[31m"});
  EXPECT_EQ(usage.code, k_exit_usage);
  EXPECT_NE(usage.err.find("got \\x1b[31m"), std::string::npos) << usage.err;
}

} // namespace
} // namespace reckon::app
