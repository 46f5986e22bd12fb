#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::util {

// Builds compact-but-readable JSON text (two-space indentation) in one pass. Doubles are
// written with round-trip precision and locale-independent; an absent or non-finite value is
// written as null, never as NaN. Callers pair every begin with its end (asserted).
class JsonWriter {
public:
  // `indented` puts every member on its own line; `compact` writes no whitespace at all, the
  // way web APIs send their bodies.
  enum class Layout { indented, compact };

  explicit JsonWriter(Layout layout = Layout::indented) : m_layout(layout) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number);
  JsonWriter& value(bool flag);
  JsonWriter& value(std::optional<double> number);
  JsonWriter& null();

  // The finished document: indented text ends in a newline, compact text (a response body)
  // does not.
  std::string finish();

  // The text written since the last take(), leaving the open containers open: a long document
  // goes out piece by piece instead of being held whole.
  std::string take();

private:
  void before_value();
  void newline();
  JsonWriter& close(char bracket);

  Layout m_layout;
  std::string m_text;
  // One entry per open container: whether it already holds a member.
  std::vector<bool> m_has_member;
  bool m_after_key = false;
};

// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

} // namespace reckon::util
