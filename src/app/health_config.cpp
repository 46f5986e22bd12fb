// `reckon health --config FILE`: the file's keys mapped to the command's options.
#include "health_config.hpp"

#include "command_line.hpp"

#include "reckon/parse/settings_file.hpp"
#include "reckon/util/file.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cassert>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace reckon::app {
namespace {

using parse::Setting;
using parse::SettingValue;
using util::ErrorCode;

enum class Takes { number, text, texts };

// A key of the file and the flag it stands for; README "The settings file" lists them.
struct ConfigKey {
  std::string_view table;
  std::string_view key;
  std::string_view option;
  Takes takes;
};

constexpr std::array k_keys{
    ConfigKey{"health", "min_runtime", "--min-runtime", Takes::number},
    ConfigKey{"health", "min_visitors", "--min-arm-visitors", Takes::number},
    ConfigKey{"health", "min_orders", "--min-arm-orders", Takes::number},
    ConfigKey{"health", "conversion_drop", "--drop-threshold", Takes::number},
    ConfigKey{"health", "drop_evidence", "--drop-evidence", Takes::number},
    ConfigKey{"health", "srm_p", "--srm-p", Takes::number},
    ConfigKey{"health", "stalled_days", "--stalled-days", Takes::number},
    ConfigKey{"health", "verdict_threshold", "--threshold", Takes::number},
    ConfigKey{"health", "verdict_band", "--band", Takes::number},
    ConfigKey{"health", "verdict_min_days", "--min-days", Takes::number},
    ConfigKey{"health", "verdict_min_visitors", "--min-visitors", Takes::number},
    ConfigKey{"health", "verdict_min_orders", "--min-orders", Takes::number},
    ConfigKey{"health", "fail_on", "--fail-on", Takes::text},
    ConfigKey{"health", "adaptive", "--adaptive", Takes::texts},
    ConfigKey{"notify", "targets", "--notify", Takes::texts},
    ConfigKey{"notify", "notify_on", "--notify-on", Takes::text},
    ConfigKey{"notify", "agent", "--agent", Takes::text},
    ConfigKey{"notify", "agent_webhook", "--agent-webhook", Takes::text},
    ConfigKey{"notify", "inteliworks_url", "--inteliworks-url", Takes::text},
    ConfigKey{"notify", "agent_webhook_url", "--agent-webhook-url", Takes::text},
    ConfigKey{"notify", "intelligems_url", "--intelligems-url", Takes::text},
    ConfigKey{"notify", "attempts", "--notify-attempts", Takes::number},
    ConfigKey{"notify", "backoff", "--notify-backoff", Takes::number},
};

// Keys a person may reach for that name a credential or a sink's address, which are read
// from the environment only (health_notify.hpp): files get copied, committed and shared.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> k_environment_only{{
    {"slack_webhook_url", "SLACK_WEBHOOK_URL"},
    {"slack_webhook", "SLACK_WEBHOOK_URL"},
    {"slack_url", "SLACK_WEBHOOK_URL"},
    {"webhook_url", "RECKON_WEBHOOK_URL"},
    {"webhook_secret", "RECKON_WEBHOOK_SECRET"},
    {"secret", "RECKON_WEBHOOK_SECRET"},
    {"api_key", "INTELIWORKS_API_KEY"},
    {"inteliworks_api_key", "INTELIWORKS_API_KEY"},
    {"webhook_key", "INTELIWORKS_WEBHOOK_KEY"},
    {"agent_webhook_key", "INTELIWORKS_WEBHOOK_KEY"},
    {"inteliworks_webhook_key", "INTELIWORKS_WEBHOOK_KEY"},
    {"intelligems_api_key", "INTELLIGEMS_API_KEY"},
}};

constexpr std::array<std::string_view, 5> k_secret_words{"secret", "key", "token", "password",
                                                         "credential"};

// The refusal of a credential, or nothing. The value is never shown.
std::optional<std::string> credential_refusal(const Setting& setting) {
  std::string variable;
  for (const auto& [key, name] : k_environment_only) {
    variable = setting.key == key ? std::string(name) : variable;
  }
  const bool secret_like =
      std::any_of(k_secret_words.begin(), k_secret_words.end(), [&](std::string_view word) {
        return setting.key.find(word) != std::string::npos;
      });
  if (variable.empty() && !secret_like) {
    return std::nullopt;
  }
  const std::string instead =
      variable.empty() ? "set it in the environment (SLACK_WEBHOOK_URL, RECKON_WEBHOOK_URL, "
                         "RECKON_WEBHOOK_SECRET, INTELIWORKS_API_KEY, INTELIWORKS_WEBHOOK_KEY, "
                         "INTELLIGEMS_API_KEY)"
                       : "set the environment variable " + variable + " instead";
  return "credentials and the sinks' addresses are read from the environment only, never from a "
         "file (files get copied, committed and shared): " +
         instead + "; the value is not shown here";
}

std::vector<std::string> keys_of(std::string_view table) {
  std::vector<std::string> names;
  for (const ConfigKey& key : k_keys) {
    if (key.table == table) {
      names.emplace_back(key.key);
    }
  }
  return names;
}

std::string list_of(const std::vector<std::string>& names) {
  std::string listed;
  for (const std::string& name : names) {
    listed += (listed.empty() ? "" : ", ") + name;
  }
  return listed;
}

const ConfigKey* find_key(std::string_view table, std::string_view name) {
  const auto found = std::find_if(k_keys.begin(), k_keys.end(), [&](const ConfigKey& key) {
    return key.table == table && key.key == name;
  });
  return found == k_keys.end() ? nullptr : &*found;
}

// Why `setting` names no key of the file, with the nearest one; the file is in `where`.
std::string unknown_key(const Setting& setting) {
  const std::string name = setting.table.empty() ? setting.key : setting.table + "." + setting.key;
  if (setting.key == "pause_on_critical" || setting.key == "dry_run") {
    return name + ": a flag only (--pause-on-critical, --dry-run): a pause, or its rehearsal, is "
                  "asked for on the command line or not at all";
  }
  for (std::string_view other : {"health", "notify"}) {
    if (find_key(other, setting.key) != nullptr) {
      return name + ": " +
             (setting.table.empty() ? "outside a table" : "not a key of [" + setting.table + "]") +
             "; it belongs in [" + std::string(other) + "]";
    }
  }
  if (setting.table != "health" && setting.table != "notify") {
    const std::optional<std::string> close = nearest(setting.table, {"health", "notify"});
    return name + ": unknown table [" + setting.table + "]" +
           (close ? "; did you mean [" + *close + "]?" : "") +
           " The tables are [health] and [notify]";
  }
  const std::vector<std::string> names = keys_of(setting.table);
  const std::optional<std::string> close = nearest(setting.key, names);
  return name + ": unknown key" +
         (close ? "; did you mean " + *close + "?"
                : "; the keys of [" + setting.table + "] are " + list_of(names));
}

std::optional<std::string> wrong_kind(const ConfigKey& key, SettingValue::Kind kind) {
  const auto got = [&] {
    switch (kind) {
    case SettingValue::Kind::number:
      return "a number";
    case SettingValue::Kind::string:
      return "a string";
    case SettingValue::Kind::boolean:
      return "true or false";
    case SettingValue::Kind::strings:
      break;
    }
    return "an array";
  }();
  switch (key.takes) {
  case Takes::number:
    return kind == SettingValue::Kind::number
               ? std::nullopt
               : std::optional<std::string>(std::string("expected a number, got ") + got);
  case Takes::text:
    return kind == SettingValue::Kind::string
               ? std::nullopt
               : std::optional<std::string>(std::string("expected a string in quotes, got ") + got);
  case Takes::texts:
    break;
  }
  return kind == SettingValue::Kind::strings
             ? std::nullopt
             : std::optional<std::string>(std::string("expected an array of strings such as "
                                                      "[\"a\", \"b\"], got ") +
                                          got);
}

// A setting matched to its key, its type checked.
struct Matched {
  const Setting* setting;
  const ConfigKey* key;
};

util::Result<std::vector<Matched>> match_keys(const std::vector<Setting>& settings) {
  std::vector<Matched> matched;
  for (const Setting& setting : settings) {
    const std::string name =
        setting.table.empty() ? setting.key : setting.table + "." + setting.key;
    if (const auto refusal = credential_refusal(setting)) {
      return util::make_error(ErrorCode::bad_input, setting.where, name + ": " + *refusal);
    }
    const ConfigKey* key = find_key(setting.table, setting.key);
    if (key == nullptr) {
      return util::make_error(ErrorCode::bad_input, setting.where, unknown_key(setting));
    }
    if (const auto problem = wrong_kind(*key, setting.value.kind)) {
      return util::make_error(ErrorCode::bad_input, setting.where, name + ": " + *problem);
    }
    matched.push_back({&setting, key});
  }
  return matched;
}

// The option's message without CLI11's leading "--option: ".
std::string reason_of(const CLI::Error& error, const CLI::Option& option) {
  std::string message = error.what();
  const std::string prefix = option.get_name() + ": ";
  if (message.rfind(prefix, 0) == 0) {
    message.erase(0, prefix.size());
  }
  return message;
}

} // namespace

util::Result<void> apply_health_config(CLI::App& health, const std::string& path,
                                       const Console& console) {
  const util::Result<std::string> text = util::read_file(path);
  if (!text) {
    return text.error();
  }
  auto file = parse::parse_settings_file(*text, path);
  if (!file) {
    return file.error();
  }
  auto matched = match_keys(file->settings);
  if (!matched) {
    return matched.error();
  }
  std::vector<std::string> applied;
  std::vector<std::string> overridden;
  // What the command line gave, before the file adds anything: those win.
  std::set<const CLI::Option*> given;
  for (const CLI::Option* option : health.get_options()) {
    if (option->count() > 0) {
      given.insert(option);
    }
  }
  std::map<const CLI::Option*, const Setting*> from_file;
  for (const auto& [setting, key] : *matched) {
    CLI::Option* option = health.get_option_no_throw(std::string(key->option));
    assert(option != nullptr && "every key of the file names an option of reckon health");
    const std::string name = setting->table + "." + setting->key;
    const std::set<CLI::Option*> excludes = option->get_excludes();
    if (given.count(option) > 0 ||
        std::any_of(excludes.begin(), excludes.end(),
                    [&](CLI::Option* other) { return given.count(other) > 0; })) {
      overridden.push_back(name);
      continue;
    }
    for (CLI::Option* other : excludes) {
      if (const auto clash = from_file.find(other); clash != from_file.end()) {
        return util::make_error(ErrorCode::bad_input, setting->where,
                                name + ": cannot be given with " + clash->second->table + "." +
                                    clash->second->key + " (" + clash->second->where +
                                    "); give one of them");
      }
    }
    from_file.emplace(option, setting);
    applied.push_back(name);
    if (setting->value.items.empty()) {
      continue; // an empty array: none, as the option's default (CLI11 takes no empty list)
    }
    for (const std::string& item : setting->value.items) {
      option->add_result(item);
    }
    try {
      option->run_callback();
    } catch (const CLI::Error& error) {
      return util::make_error(ErrorCode::bad_input, setting->where,
                              name + ": " + reason_of(error, *option) + " (as " +
                                  std::string(key->option) + " would be)");
    }
  }
  console.detail("--config " + path + " (" +
                 std::string(parse::settings_format_label(file->format)) +
                 "): " + (applied.empty() ? "no setting" : list_of(applied)) +
                 (overridden.empty() ? "" : "; the command line overrides " + list_of(overridden)));
  return {};
}

} // namespace reckon::app
