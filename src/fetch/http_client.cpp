#include "reckon/fetch/http_client.hpp"

#include "rate_limit_hints.hpp"
#include "reckon/util/text.hpp"

#include <curl/curl.h>

#include <mutex>

namespace reckon::fetch {
namespace {

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The body so far and how much of it may come: libcurl refuses a declared Content-Length over
// the cap before the body arrives, but a chunked body declares none, so it is counted here.
struct BodySink {
  std::string& body;
  std::uint64_t max_bytes;
  bool over_cap = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->body.size() + size * count > sink->max_bytes) {
    sink->over_cap = true;
    return 0; // libcurl stops the transfer with CURLE_WRITE_ERROR
  }
  sink->body.append(data, size * count);
  return size * count;
}

std::string megabytes(std::uint64_t bytes) {
  const std::uint64_t whole = bytes / 1'000'000;
  const std::uint64_t tenths = bytes % 1'000'000 / 100'000;
  return std::to_string(whole) + (tenths == 0 ? "" : "." + std::to_string(tenths)) + " MB";
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  auto* hints = static_cast<RetryHints*>(user);
  if (const auto reset = reset_from_header(line)) {
    hints->reset_in = reset;
  }
  if (const auto retry_after = retry_after_from_header(line)) {
    hints->retry_after = retry_after;
  }
  if (const auto remaining = remaining_from_header(line)) {
    hints->remaining = remaining;
  }
  return size * count;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

std::string escape(CURL* curl, const std::string& text) {
  char* escaped = curl_easy_escape(curl, text.c_str(), static_cast<int>(text.size()));
  std::string result = escaped ? escaped : "";
  curl_free(escaped);
  return result;
}

std::string url_of(CURL* curl, const std::string& base, const contract::ApiRequest& request) {
  std::string url = base;
  url += request.path;
  char separator = '?';
  for (const auto& [key, value] : request.query) {
    url += separator;
    url += escape(curl, key);
    url += '=';
    url += escape(curl, value);
    separator = '&';
  }
  return url;
}

} // namespace

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() { curl_easy_cleanup(curl); }
};

HttpClient::HttpClient(HttpSettings settings)
    : m_settings(std::move(settings)), m_handle(std::make_unique<Handle>()) {
  initialise_curl_once();
  m_handle->curl = curl_easy_init();
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::perform(const contract::ApiRequest& request,
                                 std::span<const HttpHeader> extra_headers) {
  HttpResponse response;
  CURL* curl = m_handle->curl;
  if (curl == nullptr) {
    response.transport_error = "libcurl could not be initialised";
    return response;
  }
  curl_easy_reset(curl);
  HeaderList headers;
  if (!m_settings.credential_header.empty()) {
    headers.add(m_settings.credential_header + ": " + m_settings.credential.m_scheme +
                m_settings.credential.m_value);
  }
  headers.add("Accept: application/json");
  headers.add("Content-Type: application/json");
  for (const HttpHeader& header : extra_headers) {
    headers.add(header.name + ": " + header.value);
  }
  char error_text[CURL_ERROR_SIZE] = {};
  const std::string url = url_of(curl, m_settings.base_url, request);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(m_settings.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_settings.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "reckon");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  BodySink sink{response.body, m_settings.max_response_bytes};
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(m_settings.max_response_bytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.hints);
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }

  const CURLcode code = curl_easy_perform(curl);
  // The header list held the credential; it is freed with `headers`, and libcurl keeps no copy
  // once the handle is reset for the next request.
  if (code != CURLE_OK) {
    response.status = 0;
    response.body.clear();
    response.body.shrink_to_fit();
    response.over_size_cap = sink.over_cap || code == CURLE_FILESIZE_EXCEEDED;
    response.transport_error =
        response.over_size_cap
            ? "the response is larger than " + megabytes(m_settings.max_response_bytes) +
                  ", the cap on a response's size (--max-response-mb); raise it if the API "
                  "really sends this much"
        : error_text[0] != '\0' ? error_text
                                : curl_easy_strerror(code);
    curl_easy_reset(curl);
    return response;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  // Secrets are never kept nor shown, also not when a server echoes the key back: every body
  // leaves here without it, before any check quotes it, any message carries it or a store
  // saves it.
  util::redact(response.body, m_settings.credential.m_value);
  if (response.status == 429) {
    if (const auto retry_after = retry_after_from_body(response.body)) {
      response.hints.retry_after = retry_after;
    }
  }
  curl_easy_reset(curl);
  return response;
}

} // namespace reckon::fetch
