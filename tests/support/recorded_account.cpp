#include "support/recorded_account.hpp"
#include "support/text_files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <simdjson.h>

namespace reckon::test {
namespace {

std::string request_key(std::string_view method, std::string_view path) {
  return std::string(method) + " " + std::string(path);
}

class ManifestReader {
public:
  explicit ManifestReader(std::filesystem::path path) : m_path(std::move(path)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& reason) const {
    throw std::runtime_error(m_path.string() + ":" + where + ": " + reason);
  }

  std::string text(simdjson::dom::element entry, const char* key, const std::string& where) const {
    std::string_view value;
    if (entry[key].get_string().get(value) != simdjson::SUCCESS) {
      fail(where + "." + key, "expected a string");
    }
    return std::string(value);
  }

  RecordedResponse entry(simdjson::dom::element element, const std::string& where) const {
    RecordedResponse response;
    response.file = text(element, "file", where);
    response.method = text(element, "method", where);
    response.path = text(element, "path", where);
    std::int64_t status = 0;
    if (element["status"].get_int64().get(status) != simdjson::SUCCESS) {
      fail(where + ".status", "expected an integer");
    }
    response.status = static_cast<int>(status);
    simdjson::dom::object query;
    if (element["query"].get_object().get(query) != simdjson::SUCCESS) {
      fail(where + ".query", "expected an object");
    }
    for (const simdjson::dom::key_value_pair field : query) {
      std::string_view value;
      if (field.value.get_string().get(value) != simdjson::SUCCESS) {
        fail(where + ".query." + std::string(field.key), "expected a string");
      }
      response.query.emplace(std::string(field.key), std::string(value));
    }
    simdjson::dom::element body;
    if (element["body"].get(body) != simdjson::SUCCESS) {
      fail(where + ".body", "missing");
    }
    if (!body.is_null()) {
      std::string_view body_text;
      if (body.get_string().get(body_text) != simdjson::SUCCESS) {
        fail(where + ".body", "expected a string or null");
      }
      response.body = parse_json_fields(body_text);
      if (!response.body) {
        fail(where + ".body", "not a JSON object");
      }
    }
    return response;
  }

private:
  std::filesystem::path m_path;
};

} // namespace

RecordedAccount RecordedAccount::load(const std::filesystem::path& dir, std::string_view source) {
  const auto manifest_path = dir / "manifest.json";
  const ManifestReader reader(manifest_path);
  const std::string manifest = read_text(manifest_path);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(manifest.data(), manifest.size()).get(root) != simdjson::SUCCESS) {
    reader.fail("", "not valid JSON");
  }
  simdjson::dom::array entries;
  if (root["responses"].get_array().get(entries) != simdjson::SUCCESS) {
    reader.fail("$.responses", "expected an array");
  }
  RecordedAccount account;
  std::size_t index = 0;
  for (const simdjson::dom::element element : entries) {
    const std::string where = "$.responses[" + std::to_string(index++) + "]";
    std::string_view entry_source;
    if (element["source"].get_string().get(entry_source) != simdjson::SUCCESS) {
      reader.fail(where + ".source", "expected a string");
    }
    if (entry_source != source) {
      continue;
    }
    RecordedResponse response = reader.entry(element, where);
    response.bytes = read_text(dir / response.file);
    account.m_by_request.emplace(request_key(response.method, response.path),
                                 account.m_responses.size());
    account.m_responses.push_back(std::move(response));
  }
  return account;
}

std::vector<const RecordedResponse*> RecordedAccount::find(std::string_view method,
                                                           std::string_view path) const {
  std::vector<const RecordedResponse*> found;
  const auto [first, last] = m_by_request.equal_range(request_key(method, path));
  for (auto it = first; it != last; ++it) {
    found.push_back(&m_responses[it->second]);
  }
  return found;
}

} // namespace reckon::test
