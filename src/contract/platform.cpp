#include "reckon/contract/platform.hpp"

namespace reckon::contract::platform {

std::string experiments_list_path() {
  return std::string(k_prefix) + "/experiments";
}

std::string experiment_path(std::string_view experiment_id) {
  std::string text = experiments_list_path();
  return text.append("/").append(experiment_id);
}

std::string results_path(std::string_view experiment_id) {
  return experiment_path(experiment_id).append("/results");
}

bool is_percentage_metric(std::string_view metric) {
  constexpr std::string_view k_suffix = "_rate";
  return metric.size() >= k_suffix.size() &&
         metric.substr(metric.size() - k_suffix.size()) == k_suffix;
}

} // namespace reckon::contract::platform
