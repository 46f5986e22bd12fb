#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/recorded_account.hpp"

namespace reckon::test {

// One item of the experiences list, its JSON text verbatim as recorded.
struct ListedExperience {
  std::string json;
  std::string status;
  std::string category;
};

// The items of every recorded GET experiences-list page, in manifest order.
// Throws std::runtime_error when a page is not the documented envelope.
std::vector<ListedExperience> listed_experiences(const RecordedAccount& account);

// Page `page` (from 1) of the items that pass the filters, `limit` to a page, in the API's
// envelope: {"experiencesList":[...],"page":P,"limit":L,"total":N,"totalPages":K}.
std::string experiences_page(const std::vector<ListedExperience>& items,
                             const std::optional<std::string>& status,
                             const std::optional<std::string>& category, std::int64_t page,
                             std::int64_t limit);

} // namespace reckon::test
