#include "reckon/contract/intelligems.hpp"

#include "reckon/util/calendar.hpp"

#include <initializer_list>

namespace reckon::contract::intelligems {
namespace {

// Built by appending: GCC 12 misreads `"literal" + std::string&&` at -O3 as an overlapping
// copy (-Wrestrict).
std::string path(std::initializer_list<std::string_view> parts) {
  std::string text(k_prefix);
  for (const std::string_view part : parts) {
    text.append(part);
  }
  return text;
}

} // namespace

std::string experiences_list_path() {
  return path({"/experiences-list"});
}

std::string experience_path(std::string_view experience_id) {
  return path({"/experiences/", experience_id});
}

std::string analytics_resource_path(std::string_view experience_id) {
  return path({"/analytics/resource/", experience_id});
}

std::string timeseries_path(std::string_view experience_id) {
  return path({"/analytics/experience/", experience_id, "/timeseries"});
}

std::string legacy_sitewide_path() {
  return path({"/analytics/sitewide"});
}

std::string sitewide_path(std::string_view endpoint) {
  return path({"/analytics/sitewide/", endpoint});
}

bool is_capped(std::string_view dimension) {
  return dimension == "country_code" || dimension == "landing_page_full_path";
}

std::string timestamp_text(std::int64_t unix_ms) {
  return util::utc_millis_text(unix_ms);
}

} // namespace reckon::contract::intelligems
