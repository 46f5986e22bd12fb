// What the fault matrix's two files share: the stored answers of a store, keyed by request,
// and the check that every answer a store holds is a recorded response, whole.
#pragma once

#include "fetch_harness.hpp"

namespace reckon::test::fetch_tests {

// A request's identity in the store: method, path, query in order, body.
inline std::string identity_of(const contract::ApiRequest& request) {
  std::string text = request.method + " " + request.path + "?";
  for (const auto& [key, value] : request.query) {
    text += key + "=" + value + "&";
  }
  return text + " " + request.body;
}

struct StoredAnswer {
  int status = 0;
  std::string body;
  std::optional<contract::DayWindow> day;
  bool operator==(const StoredAnswer&) const = default;
};

// The newest answer to every request stored in the store at `file`.
inline std::map<std::string, StoredAnswer> latest_answers(const std::filesystem::path& file) {
  std::map<std::string, StoredAnswer> answers;
  auto store = store::Store::open_existing(file);
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    return answers;
  }
  auto latest = store->latest_all();
  if (!latest) {
    ADD_FAILURE() << latest.error().describe();
    return answers;
  }
  for (const contract::ApiExchange& exchange : *latest) {
    answers[identity_of(exchange.request)] = {exchange.status, exchange.body, exchange.request.day};
  }
  return answers;
}

// Every version the store at `file` holds is a 200 with a recorded response's bytes for its
// request: no failed, partial or foreign answer was kept. Returns how many versions it holds.
inline std::size_t expect_only_whole_recorded_answers(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> recorded = [] {
    std::map<std::string, std::string> bytes;
    for (const RecordedExchange& exchange : demo_account()) {
      bytes[identity_of(exchange.request)] = exchange.bytes;
    }
    return bytes;
  }();
  auto store = store::Store::open_existing(file);
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    return 0;
  }
  auto all = store->all();
  if (!all) {
    ADD_FAILURE() << all.error().describe();
    return 0;
  }
  for (const contract::ApiExchange& exchange : *all) {
    const std::string identity = identity_of(exchange.request);
    const auto found = recorded.find(identity);
    EXPECT_EQ(exchange.status, 200) << identity;
    EXPECT_TRUE(found != recorded.end() && found->second == exchange.body)
        << "not a recorded answer, or not whole: " << identity;
  }
  return all->size();
}

} // namespace reckon::test::fetch_tests
