#include "reckon/parse/api_error.hpp"

#include "json_reader.hpp"

namespace reckon::parse {
namespace {

using detail::JsonPath;
using detail::JsonReader;

void append(std::string& text, std::string_view part) {
  if (!text.empty()) {
    text += "; ";
  }
  text += part;
}

// The body is the API's, not ours: the reader's first violation is never reported, and what
// does not have the expected shape is skipped.
void append_messages(JsonReader& r, std::string& text, std::string_view field,
                     simdjson::dom::element errors, const JsonPath& path) {
  const auto messages = r.array(errors, path);
  if (!messages) {
    return;
  }
  std::size_t index = 0;
  for (const simdjson::dom::element message : *messages) {
    if (const auto message_text = r.string(message, path.index(index++))) {
      append(text, field.empty() ? std::string(*message_text)
                                 : std::string(field) + ": " + std::string(*message_text));
    }
  }
}

// {"code": "invalid_request", "message": "...", "field": "email"}: the agents API's envelope;
// the experimentation platform's names the field in `details` ({"details": {"field": ...}}).
std::string describe_envelope(JsonReader& r, simdjson::dom::object error, const JsonPath& path) {
  const auto part = [&r](simdjson::dom::object object, std::string_view name,
                         const JsonPath& at) -> std::string {
    const auto value = JsonReader::field(object, name);
    const auto found = value ? r.string(*value, at.key(name)) : std::nullopt;
    return found ? std::string(*found) : std::string();
  };
  const std::string code = part(error, "code", path);
  const std::string message = part(error, "message", path);
  std::string field = part(error, "field", path);
  const auto details = JsonReader::field(error, "details");
  if (field.empty() && details && details->is_object()) {
    field = part(details->get_object().value_unsafe(), "field", path.key("details"));
  }
  const std::string text = code.empty() ? message : message.empty() ? code : code + ": " + message;
  return field.empty() ? text : text + " (field " + field + ")";
}

} // namespace

std::string describe_api_error(std::string_view body) {
  detail::JsonDocuments documents;
  const auto root = documents.read(body, "response");
  JsonReader r("response", ": ", "");
  const JsonPath top;
  const auto document = root ? r.object(*root, top) : std::nullopt;
  if (!document) {
    return {};
  }
  std::string text;
  if (const auto error = JsonReader::field(*document, "error")) {
    if (error->is_object()) {
      append(text, describe_envelope(r, error->get_object().value_unsafe(), top.key("error")));
    } else if (const auto message = r.string(*error, top.key("error"))) {
      append(text, *message);
    }
  }
  if (const auto errors = JsonReader::field(*document, "errors")) {
    append_messages(r, text, "", *errors, top.key("errors"));
  }
  const auto properties = JsonReader::field(*document, "properties");
  const JsonPath properties_path = top.key("properties");
  const auto fields = properties ? r.object(*properties, properties_path) : std::nullopt;
  if (!fields) {
    return text;
  }
  for (const auto [name, value] : *fields) {
    const JsonPath field_path = properties_path.key(name);
    const auto field = r.object(value, field_path);
    const auto field_errors = field ? JsonReader::field(*field, "errors") : std::nullopt;
    if (field_errors) {
      append_messages(r, text, name, *field_errors, field_path.key("errors"));
    }
  }
  return text;
}

} // namespace reckon::parse
