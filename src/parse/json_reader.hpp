#pragma once

#include "reckon/util/calendar.hpp"
#include "reckon/util/result.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reckon::parse::detail {

// A JSON path kept on the stack while a reader descends, and rendered only when an error
// names it, so that valid documents cost no string building. A child points at its parent,
// so children are made only from named paths (the rvalue overloads are deleted): a path kept
// in a variable never outlives its parent.
class JsonPath {
public:
  JsonPath() = default; // the document's root
  JsonPath key(std::string_view name) const& { return JsonPath(this, name, 0, true); }
  JsonPath index(std::size_t position) const& { return JsonPath(this, {}, position, false); }
  JsonPath key(std::string_view name) const&& = delete;
  JsonPath index(std::size_t position) const&& = delete;
  // `root` + "metrics[1].n_visitors.value" (a leading "." when `root` is not empty); keys that
  // are not plain identifiers are written segments["Free over $50"].
  std::string render(std::string_view root) const;

private:
  JsonPath(const JsonPath* parent, std::string_view name, std::size_t position, bool is_key)
      : m_parent(parent), m_key(name), m_index(position), m_is_key(is_key) {}

  const JsonPath* m_parent = nullptr;
  std::string_view m_key;
  std::size_t m_index = 0;
  bool m_is_key = false;
};

// `text` in double quotes, for messages.
std::string quoted(std::string_view text);

// "the string \"abc\"", "-5", "null", "an object": what an error says it got.
std::string describe_json_value(simdjson::dom::element value);

// Reads one parsed document and remembers the first violation only, as parse_scenario does:
// every accessor returns nullopt on a violation, and callers check `failed()` where a
// section ends. Errors are bad_input with `where` = origin + separator + root + path.
class JsonReader {
public:
  JsonReader(std::string origin, std::string_view separator, std::string_view root)
      : m_origin(std::move(origin)), m_separator(separator), m_root(root) {}

  bool failed() const { return m_error.has_value(); }
  const util::Error& error() const { return *m_error; }
  const std::string& origin() const { return m_origin; }
  std::string where(const JsonPath& path) const;

  void fail(const JsonPath& path, std::string reason);
  void fail_type(const JsonPath& path, std::string_view expected, simdjson::dom::element got);

  // The member `key` of `parent` (JSON null included), or nullopt when it is absent.
  static std::optional<simdjson::dom::element> field(simdjson::dom::object parent,
                                                     std::string_view key);

  std::optional<simdjson::dom::object> object(simdjson::dom::element value, const JsonPath& path);
  std::optional<simdjson::dom::array> array(simdjson::dom::element value, const JsonPath& path);
  std::optional<std::string_view> string(simdjson::dom::element value, const JsonPath& path);
  std::optional<bool> boolean(simdjson::dom::element value, const JsonPath& path);
  // A finite number.
  std::optional<double> number(simdjson::dom::element value, const JsonPath& path);
  // A finite number, or nullopt without failing for JSON null.
  std::optional<double> number_or_null(simdjson::dom::element value, const JsonPath& path);
  // A whole number >= 0 (written 12 or 12.0), below 2^53 so that a double holds it exactly.
  std::optional<std::uint64_t> count(simdjson::dom::element value, const JsonPath& path);
  // An integer token >= 0 written without fraction or exponent, over the whole uint64 range
  // (seeds and sizes, which no arithmetic turns into doubles).
  std::optional<std::uint64_t> whole_number(simdjson::dom::element value, const JsonPath& path);
  // A finite number in (low, high), or in [low, high) when `closed_low`.
  std::optional<double> number_in(simdjson::dom::element value, const JsonPath& path, double low,
                                  double high, bool closed_low = false);
  // A real calendar day written YYYY-MM-DD.
  std::optional<util::Date> date(simdjson::dom::element value, const JsonPath& path);
  // A non-empty string free of control characters: a name a person wrote.
  std::optional<std::string_view> label(simdjson::dom::element value, const JsonPath& path);
  // The choice whose name the string is; the error lists the names.
  template <class Choice>
  std::optional<Choice> one_of(simdjson::dom::element value, const JsonPath& path,
                               const std::vector<std::pair<std::string_view, Choice>>& choices);
  // A member that must be present: nullopt and a "missing" error otherwise.
  std::optional<simdjson::dom::element> required(simdjson::dom::object parent, std::string_view key,
                                                 const JsonPath& path);

private:
  std::string m_origin;
  std::string_view m_separator;
  std::string_view m_root;
  std::optional<util::Error> m_error;
};

template <class Choice>
std::optional<Choice>
JsonReader::one_of(simdjson::dom::element value, const JsonPath& path,
                   const std::vector<std::pair<std::string_view, Choice>>& choices) {
  const auto text = string(value, path);
  if (!text) {
    return std::nullopt;
  }
  std::string listed;
  for (const auto& [name, choice] : choices) {
    if (name == *text) {
      return choice;
    }
    listed += (listed.empty() ? "" : ", ") + std::string(name);
  }
  fail(path, "expected one of " + listed + " (got " + quoted(*text) + ")");
  return std::nullopt;
}

// One simdjson parser and one padded buffer, reused for every document of a call: each parse
// copies the text once into the buffer and invalidates every element of the previous parse.
class JsonDocuments {
public:
  // The document's root, or a bad_input error at `origin` saying why the text is not JSON.
  util::Result<simdjson::dom::element> read(std::string_view text, const std::string& origin);

private:
  simdjson::error_code parse(std::string_view text, simdjson::dom::element& root);

  simdjson::dom::parser m_parser;
  std::vector<char> m_buffer;
};

} // namespace reckon::parse::detail
