#pragma once

#include "settings.hpp"

#include "reckon/util/result.hpp"

#include <string>

namespace CLI {
class App;
}

namespace reckon::app {

// Reads the settings file `path` (TOML or JSON, parse/settings_file.hpp) and gives each of its
// keys to the option of `health` (the parsed `reckon health` command) that the key names,
// unless the command line gave that option or one it excludes: a flag overrides the file. The
// values pass through the options' own checks, so a file takes exactly what the flags take.
// A key the command does not know is an error naming the file and the nearest known key; a
// credential is refused with the environment variable to use instead, its value never shown.
// Errors are bad_input (io when the file cannot be read) at the file, line and column. With -v
// the keys taken from the file and those the command line overrode are listed.
util::Result<void> apply_health_config(CLI::App& health, const std::string& path,
                                       const Console& console);

} // namespace reckon::app
