#include "reckon/app/run.hpp"

#include <gtest/gtest.h>

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
  EXPECT_EQ(version.out, std::string(RECKON_VERSION) + "\n");
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

} // namespace
} // namespace reckon::app
