#include "option_checks.hpp"

#include "reckon/util/calendar.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace reckon::app {
namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

// What is wrong with the authority (host and optional port) of an http(s) URL; empty if nothing.
std::string authority_problem(std::string_view authority) {
  if (authority.find('@') != std::string_view::npos) {
    return "a user name or password does not belong in the URL";
  }
  std::string_view host = authority;
  std::string_view port;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return "the IPv6 address has no closing ]";
    }
    const std::string_view address = host.substr(1, close - 1);
    if (address.empty() || !std::all_of(address.begin(), address.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
        })) {
      return "the IPv6 address between [ and ] is not one";
    }
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) {
      return "only a :port may follow the ] of an IPv6 address";
    }
    port = rest.empty() ? rest : rest.substr(1);
    host = host.substr(0, close + 1);
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (!std::all_of(host.begin(), host.end(), is_host_char)) {
      return "the host holds a character a host name cannot";
    }
  } else if (!std::all_of(host.begin(), host.end(), is_host_char)) {
    return "the host holds a character a host name cannot";
  }
  if (host.empty()) {
    return "there is no host";
  }
  if (authority.size() > host.size()) { // a port was given
    unsigned number = 0;
    const auto [stop, failure] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || failure != std::errc() || stop != port.data() + port.size() ||
        number == 0 || number > 65535) {
      return "the port is not a number from 1 to 65535";
    }
  }
  return {};
}

} // namespace

CLI::Validator http_url() {
  return CLI::Validator(
      [](std::string& url) -> std::string {
        const std::string_view text = url;
        std::string problem;
        std::size_t scheme_end = 0;
        if (starts_with_ignoring_case(text, "https://")) {
          scheme_end = 8;
        } else if (starts_with_ignoring_case(text, "http://")) {
          scheme_end = 7;
        } else {
          problem = "it must start with http:// or https://";
        }
        if (problem.empty() && std::any_of(text.begin(), text.end(), [](char c) {
              return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
            })) {
          problem = "it holds a space or a control character";
        }
        if (problem.empty() && text.find_first_of("?#") != std::string_view::npos) {
          problem = "a query or fragment does not belong in the base URL";
        }
        if (problem.empty()) {
          const std::string_view rest = text.substr(scheme_end);
          problem = authority_problem(rest.substr(0, rest.find('/')));
        }
        return problem.empty()
                   ? problem
                   : url + ": " + problem + " (expected a URL such as https://api.intelligems.io)";
      },
      "URL");
}

CLI::Validator calendar_date() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return util::Date::parse(text) ? std::string() : "expected a date YYYY-MM-DD, got " + text;
      },
      "YYYY-MM-DD");
}

std::optional<std::size_t> first_unsendable(std::string_view key) {
  const auto bad = std::find_if(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f;
  });
  return bad == key.end() ? std::nullopt
                          : std::optional<std::size_t>(static_cast<std::size_t>(bad - key.begin()));
}

} // namespace reckon::app
