// The command line's numeric and date options, through app::run as `reckon` parses them. The
// input picks a command (its first byte), then one option per line (a line's first byte) with
// the rest of the line as its value, passed as `--option=value` so that a value can never
// become an option of its own. Every input file and store named is under a folder that does
// not exist, so a command line that parses stops at reading its input: no network, no file
// written, and the same outcome every time.
#include "fuzz_input.hpp"

#include "reckon/app/run.hpp"

#include <algorithm>
#include <array>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Command {
  std::vector<std::string> args; // after the program name
  std::vector<std::string_view> options;
};

std::string missing(std::string_view file) {
  return "/nonexistent/reckon-fuzz/" + std::string(file);
}

const std::array<Command, 5>& commands() {
  static const std::array<Command, 5> table{{
      {{"analyze", "--counts", missing("counts.csv")},
       {"draws", "seed", "threads", "level", "prior"}},
      {{"check", "--counts", missing("counts.csv"), "--no-save"},
       {"draws", "seed", "threads", "level", "prior", "tolerance", "vendor-draws",
        "low-data-visitors", "low-data-events", "since"}},
      {{"simulate", "--scenario", missing("scenario.json"), "--out", missing("out")},
       {"seed", "threads"}},
      {{"fetch", "--api-key-file", missing("key"), "--store", missing("reckon.db")},
       {"sitewide-days", "page-size", "rate", "max-attempts", "first-backoff", "max-wait",
        "connect-timeout", "timeout", "from", "to", "tz", "base-url"}},
      {{"store", "prune", "--store", missing("reckon.db")}, {"keep"}},
  }};
  return table;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const Command& command = commands()[data[0] % commands().size()];
  std::vector<std::string> args{"reckon", "-q"};
  args.insert(args.end(), command.args.begin(), command.args.end());
  std::string_view rest = reckon::fuzz::as_text(data + 1, size - 1);
  while (!rest.empty()) {
    const std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(line.size() + 1, rest.size()));
    if (line.empty()) {
      continue;
    }
    const auto pick = static_cast<unsigned char>(line[0]);
    args.push_back("--" + std::string(command.options[pick % command.options.size()]) + "=" +
                   std::string(line.substr(1)));
  }
  std::ostringstream out;
  std::ostringstream err;
  (void)reckon::app::run(args, out, err);
  return 0;
}
