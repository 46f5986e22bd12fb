#include "reckon/parse/api_error.hpp"

#include <simdjson.h>

namespace reckon::parse {
namespace {

void append(std::string& text, std::string_view part) {
  if (!text.empty()) {
    text += "; ";
  }
  text += part;
}

void append_messages(std::string& text, std::string_view field, simdjson::dom::element errors) {
  simdjson::dom::array messages;
  if (errors.get(messages) != simdjson::SUCCESS) {
    return;
  }
  for (simdjson::dom::element message : messages) {
    std::string_view message_text;
    if (message.get(message_text) == simdjson::SUCCESS) {
      append(text, field.empty() ? std::string(message_text)
                                 : std::string(field) + ": " + std::string(message_text));
    }
  }
}

} // namespace

std::string describe_api_error(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(body.data(), body.size()).get(document) != simdjson::SUCCESS) {
    return {};
  }
  std::string text;
  std::string_view error;
  if (document["error"].get(error) == simdjson::SUCCESS) {
    append(text, error);
  }
  simdjson::dom::element errors;
  if (document["errors"].get(errors) == simdjson::SUCCESS) {
    append_messages(text, "", errors);
  }
  simdjson::dom::object properties;
  if (document["properties"].get(properties) == simdjson::SUCCESS) {
    for (const auto field : properties) {
      simdjson::dom::element field_errors;
      if (field.value["errors"].get(field_errors) == simdjson::SUCCESS) {
        append_messages(text, field.key, field_errors);
      }
    }
  }
  return text;
}

} // namespace reckon::parse
