#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::app {

// The edit distance (optimal string alignment): insertions, deletions, substitutions and swaps
// of neighbours that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is close enough to be a typo of it (an edit per four
// characters, at least one), else nothing; the first of equally near ones.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& names);

// Before CLI11 parses: "unknown command "analyse"; did you mean "analyze"?" when `args` (argv,
// the program first) name a command `cli` lacks, at any depth (`reckon store rnus`). The
// candidates are the registered subcommands, so a command added later is suggested too.
std::optional<std::string> unknown_command(const CLI::App& cli,
                                           const std::vector<std::string>& args);

// CLI11's failure message, in Reckon's form "reckon: option: problem" with what to do: a missing
// command lists the commands, an unknown option names its nearest, CLI11's own wordings are
// turned round so that the option comes first. Set with CLI::App::failure_message.
std::string describe_parse_error(const CLI::App* cli, const CLI::Error& error);

} // namespace reckon::app
