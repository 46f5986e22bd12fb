#include "reckon/contract/bandit.hpp"

#include <algorithm>
#include <cctype>

namespace reckon::contract::bandit {

std::string experiments_path() {
  return "/experiments";
}

std::string experiment_path(std::string_view experiment_id) {
  std::string text = "/experiments/";
  text.append(experiment_id);
  return text;
}

std::string events_path(std::string_view experiment_id) {
  std::string text = "/events/";
  text.append(experiment_id);
  return text;
}

std::string funnels_path() {
  return "/funnels";
}

bool has_side_effects(std::string_view method, std::string_view path) {
  if (method != "GET") {
    return true;
  }
  // GET /assignments/:experimentId assigns the user as POST /assignments does.
  return path == "/assignments" || path.starts_with("/assignments/") ||
         path.ends_with("/refresh") || path.ends_with("/generate-variant") || path == "/events" ||
         path == "/events/batch";
}

std::string_view analysis_status(std::string_view api_status) {
  std::string status(api_status);
  std::transform(status.begin(), status.end(), status.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (status == "active") {
    return "started";
  }
  if (status == "completed" || status == "archived") {
    return "ended";
  }
  if (status == "paused") {
    return "paused";
  }
  if (status == "draft") {
    return "pending";
  }
  return "";
}

} // namespace reckon::contract::bandit
