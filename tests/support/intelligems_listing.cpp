#include "support/intelligems_listing.hpp"

#include "reckon/contract/intelligems.hpp"

#include <stdexcept>

#include <simdjson.h>

namespace reckon::test {
namespace {

const std::string k_list_path = contract::intelligems::experiences_list_path();

std::string member(const std::string& item_json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element item;
  std::string_view value;
  if (parser.parse(item_json).get(item) != simdjson::SUCCESS ||
      item[key].get_string().get(value) != simdjson::SUCCESS) {
    return {};
  }
  return std::string(value);
}

} // namespace

std::vector<ListedExperience> listed_experiences(const RecordedAccount& account) {
  std::vector<ListedExperience> items;
  simdjson::ondemand::parser parser;
  for (const RecordedResponse* page : account.find("GET", k_list_path)) {
    const simdjson::padded_string padded(page->bytes);
    simdjson::ondemand::document document;
    simdjson::ondemand::array list;
    if (parser.iterate(padded).get(document) != simdjson::SUCCESS ||
        document["experiencesList"].get_array().get(list) != simdjson::SUCCESS) {
      throw std::runtime_error(page->file + ": no experiencesList array");
    }
    for (auto element : list) {
      simdjson::ondemand::object object;
      std::string_view raw;
      if (element.get_object().get(object) != simdjson::SUCCESS ||
          object.raw_json().get(raw) != simdjson::SUCCESS) {
        throw std::runtime_error(page->file + ": an experiencesList item is not an object");
      }
      ListedExperience item;
      item.json = std::string(raw);
      item.status = member(item.json, "status");
      item.category = member(item.json, "category");
      items.push_back(std::move(item));
    }
  }
  return items;
}

std::string experiences_page(const std::vector<ListedExperience>& items,
                             const std::optional<std::string>& status,
                             const std::optional<std::string>& category, std::int64_t page,
                             std::int64_t limit) {
  std::vector<const ListedExperience*> matching;
  for (const ListedExperience& item : items) {
    if ((!status || item.status == *status) && (!category || item.category == *category)) {
      matching.push_back(&item);
    }
  }
  const auto total = static_cast<std::int64_t>(matching.size());
  const std::int64_t first = (page - 1) * limit;
  std::string body = R"({"experiencesList":[)";
  for (std::int64_t i = first; i < total && i < first + limit; ++i) {
    if (i != first) {
      body += ',';
    }
    body += matching[static_cast<std::size_t>(i)]->json;
  }
  body += R"(],"page":)" + std::to_string(page) + R"(,"limit":)" + std::to_string(limit) +
          R"(,"total":)" + std::to_string(total) + R"(,"totalPages":)" +
          std::to_string((total + limit - 1) / limit) + "}";
  return body;
}

} // namespace reckon::test
