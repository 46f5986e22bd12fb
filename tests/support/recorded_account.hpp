#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/json_fields.hpp"

namespace reckon::test {

// One response of a simulated account (`reckon simulate` output, `manifest.json` of schema
// reckon.simulated-responses/v1) with the request it answers.
struct RecordedResponse {
  std::string file; // relative to the account directory
  int status = 200;
  std::string method;
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
  std::optional<JsonFields> body; // nullopt for a request without a body
  std::string bytes;              // the response body exactly as recorded
};

// The recorded responses of one source of a simulated account, read once and then immutable,
// so that server threads may share it.
class RecordedAccount {
public:
  // Reads `dir`/manifest.json and the files of its entries whose `source` is `source`. Throws
  // std::runtime_error ("file: reason") on a missing or malformed manifest or file.
  static RecordedAccount load(const std::filesystem::path& dir, std::string_view source);

  // Every response, in manifest order.
  const std::vector<RecordedResponse>& responses() const { return m_responses; }
  // The responses recorded for `method` and `path`, in manifest order.
  std::vector<const RecordedResponse*> find(std::string_view method, std::string_view path) const;

private:
  std::vector<RecordedResponse> m_responses;
  std::multimap<std::string, std::size_t, std::less<>> m_by_request; // "METHOD path" -> index
};

} // namespace reckon::test
