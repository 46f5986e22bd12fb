#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace reckon::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program` with `args` in `working_dir`, no stdin, capturing stdout and stderr.
ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& args,
                          const std::filesystem::path& working_dir);

} // namespace reckon::test
