#pragma once

#include "reckon/model/experiment.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace reckon::report {

// One test as `reckon list` shows it. The dates are YYYY-MM-DD (UTC): when the source says the
// test started or ended, that day; otherwise its first and last day with per-day data; empty
// when neither is known.
struct TestListing {
  std::string id;
  std::string name;
  std::string source; // "counts_csv", "intelligems"
  std::string status; // empty when the source does not say
  std::string start;
  std::string end;
  std::uint64_t visitors = 0; // over every arm of the overall slice
};

std::vector<TestListing> list_tests(const model::Dataset& dataset);

// For people, within 100 columns: name (cut with "…" when long), source, status, dates,
// visitors; ids are in the JSON and CSV.
std::string render_list_table(const std::vector<TestListing>& tests);

// The `reckon.list/v1` document: {"schema", "tests": [{"id", "name", "source", "status",
// "start", "end", "visitors"}]}; an unknown status or date is null.
std::string render_list_json(const std::vector<TestListing>& tests);

// A header and one row per test, the JSON's fields in its order.
std::string render_list_csv(const std::vector<TestListing>& tests);

} // namespace reckon::report
