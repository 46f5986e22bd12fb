#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reckon::store {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// The canonical text of a query, as the store keys requests by it: "name=value" pairs in the
// order sent, joined by '&', every byte outside A-Z a-z 0-9 - . _ ~ written %XX. The text is
// readable in the sqlite3 shell, and distinct queries (order and repeats included) never
// share one.
std::string encode_query(const QueryPairs& query);
// The pairs back; nullopt when `text` is not such a text.
std::optional<QueryPairs> decode_query(std::string_view text);

} // namespace reckon::store
