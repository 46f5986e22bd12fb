#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/fetch/retry_policy.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace reckon::fetch {

// A credential sent in a request header. It has no way to be printed or streamed: the only
// reader is the HTTP client, which hands it to libcurl.
class Secret {
public:
  Secret() = default;
  explicit Secret(std::string value) : m_value(std::move(value)) {}
  // The same secret written after a scheme in its header ("Bearer "); the scheme is no secret.
  Secret with_scheme(std::string scheme) && {
    m_scheme = std::move(scheme);
    return std::move(*this);
  }
  bool empty() const { return m_value.empty(); }

private:
  friend class HttpClient;
  std::string m_value;
  std::string m_scheme;
};

// A header of one request beyond the client's own, such as a signature over that request's body.
struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpSettings {
  std::string base_url;          // "https://api.intelligems.io", no trailing slash
  std::string credential_header; // "intelligems-access-token"; empty: no credential is sent
  Secret credential;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  // The largest response body read, in bytes: a bigger one is cut off as it arrives, never
  // buffered whole (a misbehaving server once sent 3 GB).
  std::uint64_t max_response_bytes = 256'000'000;
};

// What one attempt brought back. `status` 0 means no HTTP response arrived; `transport_error`
// then says why (timeout, refused, reset, truncated body, a body over the size cap).
struct HttpResponse {
  int status = 0;
  std::string body;
  // From the x-ratelimit-reset and Retry-After headers; a 429 body's retryAfter wins over the
  // latter.
  RetryHints hints;
  std::string transport_error;
  // The body was larger than HttpSettings::max_response_bytes: asking again would not help.
  bool over_size_cap = false;
};

// One connection to one API, over libcurl: TLS verification on, no redirects, http(s) only.
// Not thread-safe; a fetch is sequential by design (the vendor's limits are per account).
class HttpClient {
public:
  explicit HttpClient(HttpSettings settings);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse perform(const contract::ApiRequest& request,
                       std::span<const HttpHeader> extra_headers = {});
  const std::string& base_url() const { return m_settings.base_url; }

private:
  struct Handle;
  HttpSettings m_settings;
  std::unique_ptr<Handle> m_handle;
};

} // namespace reckon::fetch
