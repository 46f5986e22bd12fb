#include "command_line.hpp"

#include "reckon/util/text.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace reckon::app {
namespace {

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(command->get_name());
  }
  return names;
}

// "reckon analyze", "reckon store runs": the command the parse reached.
const CLI::App& deepest_parsed(const CLI::App& cli, std::string& path) {
  path = cli.get_name();
  const CLI::App* app = &cli;
  while (!app->get_subcommands().empty()) {
    app = app->get_subcommands().front();
    path += " " + app->get_name();
  }
  return *app;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& names,
                         const std::string& quote) {
  const std::optional<std::string> close = nearest(word, names);
  return close ? "; did you mean " + quote + *close + quote + "?" : std::string();
}

// A missing command: the commands there are, one line each.
std::string command_list(const CLI::App& app, const std::string& path) {
  std::ostringstream text;
  text << "a command is required\nUsage: " << path << " COMMAND [OPTIONS] (" << path
       << " COMMAND --help describes one)\nCommands:\n";
  std::size_t width = 0;
  for (const std::string& name : subcommand_names(app)) {
    width = std::max(width, name.size());
  }
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    text << "  " << command->get_name() << std::string(width + 2 - command->get_name().size(), ' ')
         << command->get_description() << '\n';
  }
  return text.str();
}

// The argument CLI11 could not place, and what it might have meant.
std::string unexpected_argument(const CLI::App& cli, const CLI::App& command,
                                const std::string& path) {
  const std::vector<std::string> left = cli.remaining(true);
  const auto option = std::find_if(left.begin(), left.end(),
                                   [](const std::string& arg) { return arg.starts_with('-'); });
  if (option == left.end()) {
    const std::string arg = left.empty() ? std::string("?") : left.front();
    return "\"" + arg + "\": unexpected argument; " + path + " takes options only (" + path +
           " --help lists them)";
  }
  const std::string name = option->substr(0, option->find('='));
  std::vector<std::string> names;
  for (const CLI::App* app : {&command, &cli}) {
    for (const CLI::Option* known : app->get_options()) {
      for (const std::string& long_name : known->get_lnames()) {
        names.push_back("--" + long_name);
      }
      for (const std::string& short_name : known->get_snames()) {
        names.push_back("-" + short_name);
      }
    }
  }
  const std::string hint = did_you_mean(name, names, "");
  return name + ": not an option of " + path +
         (hint.empty() ? "; " + path + " --help lists them" : hint);
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return std::string_view(text).substr(0, prefix.size()) == prefix;
}

// CLI11's own wordings, turned round so that the option comes first.
std::string option_first(const std::string& message, const std::string& path) {
  const auto between = [&](std::string_view start, std::string_view stop) {
    const std::size_t from = message.find(start) + start.size();
    return message.substr(from, message.find(stop, from) - from);
  };
  if (message.ends_with(" is required")) {
    return message.substr(0, message.size() - 12) + ": required; " + path + " --help describes it";
  }
  if (const std::size_t at = message.find(" excludes "); at != std::string::npos) {
    return message.substr(0, at) + ": cannot be given with " + message.substr(at + 10) +
           "; give one of them";
  }
  if (const std::size_t at = message.find(" requires "); at != std::string::npos) {
    return message.substr(0, at) + ": needs " + message.substr(at + 10) + " too";
  }
  if (starts_with(message, "Could not convert: ")) {
    const std::string rest = message.substr(19);
    const std::size_t equals = rest.find(" = ");
    return rest.substr(0, equals) + ": cannot read " + rest.substr(equals + 3);
  }
  if (starts_with(message, "Expected exactly ")) {
    return between(" arguments to ", ", got") + ": expected " + between("exactly ", " arguments") +
           " values, got " + message.substr(message.rfind(' ') + 1);
  }
  if (const std::size_t at = message.find(": At least "); at != std::string::npos) {
    return message.substr(0, at) + ": expected at least " + between("At least ", " required") +
           " values, got " + message.substr(message.rfind(' ') + 1);
  }
  if (message.ends_with(" missing") && message.find(" required ") != std::string::npos) {
    return message.substr(0, message.find(':')) + ": needs a value";
  }
  return message;
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the table: a swap of neighbours ("rnus") looks back two.
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& names) {
  // One edit in four characters: "analyse" finds analyze, "report" does not find import, and "-x"
  // nothing.
  std::size_t allowed = word.size() < 4 ? 0 : std::max<std::size_t>(1, word.size() / 4);
  std::optional<std::string> best;
  for (const std::string& name : names) {
    if (const std::size_t distance = edit_distance(word, name); distance <= allowed) {
      best = name;
      allowed = distance == 0 ? 0 : distance - 1;
    }
  }
  return best;
}

std::optional<std::string> unknown_command(const CLI::App& cli,
                                           const std::vector<std::string>& args) {
  const CLI::App* app = &cli;
  std::string path = cli.get_name();
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      return std::nullopt;
    }
    if (arg.starts_with('-')) {
      // Skip an option's value, so that `--store runs.db` is not read as a command.
      const std::size_t equals = arg.find('=');
      const CLI::Option* option = app->get_option_no_throw(arg.substr(0, equals));
      i += option != nullptr && option->get_items_expected_max() > 0 && equals == std::string::npos
               ? 1
               : 0;
      continue;
    }
    const std::vector<std::string> names = subcommand_names(*app);
    if (names.empty()) {
      return std::nullopt; // a command's own argument (`import FOLDER`)
    }
    const std::vector<const CLI::App*> found =
        app->get_subcommands([&arg](const CLI::App* command) { return command->check_name(arg); });
    if (found.empty()) {
      const std::string hint = did_you_mean(arg, names, "\"");
      return "unknown command \"" + util::printable(arg) + "\"" +
             (app == &cli ? "" : " of " + path) +
             (hint.empty() ? "; " + path + " --help lists the commands" : hint);
    }
    app = found.front();
    path += " " + arg;
  }
  return std::nullopt;
}

std::string describe_parse_error(const CLI::App* cli, const CLI::Error& error) {
  std::string path;
  const CLI::App& command = deepest_parsed(*cli, path);
  const std::string message = error.what();
  std::string text;
  // By type: CLI11 names some errors after the command that raised them.
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr &&
      starts_with(message, "A subcommand")) {
    text = command_list(command, path);
  } else if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    text = unexpected_argument(*cli, command, path) + "\n";
  } else {
    text = option_first(message, path) + "\nRun " + path + " --help for usage.\n";
  }
  std::string printed;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    printed += (printed.empty() ? "reckon: " : "") + util::printable(line) + '\n';
  }
  return printed;
}

} // namespace reckon::app
