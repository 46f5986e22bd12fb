#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace reckon::app {

// Exit codes of the command-line contract (SPEC §3).
enum ExitCode : int {
  k_exit_success = 0,
  k_exit_findings = 1,
  k_exit_usage = 2,
  k_exit_bad_input = 3,
  k_exit_network = 4,
  k_exit_internal = 70,
};

// Runs one reckon command line. `args[0]` is the program name. Requested output goes to `out`,
// diagnostics to `err`. Every exception stops here and becomes an exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace reckon::app
