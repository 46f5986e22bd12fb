#include "tzif.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace reckon::util {
namespace {

// A bounds-checked big-endian reader over the file's bytes.
class Bytes {
public:
  explicit Bytes(std::string_view bytes) : m_bytes(bytes) {}

  bool has(std::size_t count) const { return m_bytes.size() - m_pos >= count; }
  std::size_t position() const { return m_pos; }
  void skip(std::size_t count) { m_pos += count; }
  std::string_view rest() const { return m_bytes.substr(m_pos); }

  std::uint64_t unsigned_be(std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value = value << 8 | static_cast<std::uint8_t>(m_bytes[m_pos++]);
    }
    return value;
  }
  // A two's complement signed integer of `width` bytes.
  std::int64_t signed_be(std::size_t width) {
    // C++20 makes the conversion modular and the right shift arithmetic: sign extension.
    const auto shift = static_cast<int>(64 - 8 * width);
    return static_cast<std::int64_t>(unsigned_be(width) << shift) >> shift;
  }

private:
  std::string_view m_bytes;
  std::size_t m_pos = 0;
};

struct Header {
  char version = 0;
  std::uint64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  // Bytes of the data block that follows, with `time_size`-byte transition times.
  std::uint64_t data_size(std::uint64_t time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

constexpr std::size_t k_header_size = 44;

std::optional<Header> read_header(Bytes& in) {
  if (!in.has(k_header_size) || !looks_like_tzif(in.rest())) {
    return std::nullopt;
  }
  in.skip(4);
  Header header;
  header.version = static_cast<char>(in.unsigned_be(1));
  in.skip(15);
  for (std::uint64_t* count : {&header.isutcnt, &header.isstdcnt, &header.leapcnt, &header.timecnt,
                               &header.typecnt, &header.charcnt}) {
    *count = in.unsigned_be(4);
  }
  return header;
}

} // namespace

bool looks_like_tzif(std::string_view bytes) {
  return bytes.substr(0, 4) == "TZif";
}

Result<TimeZone> parse_tzif(std::string name, std::string_view bytes,
                            const std::filesystem::path& file) {
  const auto corrupt = [&](const std::string& reason) {
    return make_error(ErrorCode::io, file.string(), "not a valid TZif zone file: " + reason);
  };
  Bytes in(bytes);
  std::optional<Header> header = read_header(in);
  if (!header) {
    return corrupt("truncated header");
  }
  std::uint64_t time_size = 4;
  // Version 2 and later repeat the data with 64-bit times after the version 1 block, then
  // end with the POSIX TZ footer; only that second part is read.
  if (header->version != 0) {
    if (!in.has(header->data_size(4))) {
      return corrupt("truncated version 1 data");
    }
    in.skip(header->data_size(4));
    header = read_header(in);
    if (!header) {
      return corrupt("truncated version 2 header");
    }
    time_size = 8;
  }
  if (header->typecnt == 0 || header->typecnt > 256 ||
      (header->isutcnt != 0 && header->isutcnt != header->typecnt) ||
      (header->isstdcnt != 0 && header->isstdcnt != header->typecnt)) {
    return corrupt("inconsistent counts");
  }
  if (header->leapcnt != 0) {
    return corrupt("leap-second zones (the right/ tree) are not supported");
  }
  if (!in.has(header->data_size(time_size))) {
    return corrupt("truncated data");
  }
  std::vector<std::int64_t> times(header->timecnt);
  for (std::int64_t& time : times) {
    time = in.signed_be(time_size);
  }
  std::vector<std::uint64_t> type_of(header->timecnt);
  for (std::uint64_t& type : type_of) {
    type = in.unsigned_be(1);
  }
  std::vector<std::int64_t> offsets(header->typecnt);
  for (std::int64_t& offset : offsets) {
    offset = in.signed_be(4);
    in.skip(2); // isdst and the abbreviation index: days need only the offset
  }
  in.skip(header->charcnt + header->isstdcnt + header->isutcnt);

  std::vector<ZoneTransition> transitions;
  transitions.reserve(times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (type_of[i] >= offsets.size() || (i > 0 && times[i] <= times[i - 1])) {
      return corrupt("transition " + std::to_string(i) + " is out of order or of no type");
    }
    transitions.push_back({times[i], offsets[type_of[i]]});
  }

  std::optional<ZoneRule> rule;
  if (header->version != 0) {
    const std::string_view footer = in.rest();
    const std::size_t end = footer.find('\n', 1);
    if (footer.empty() || footer[0] != '\n' || end == std::string_view::npos) {
      return corrupt("missing footer");
    }
    const std::string_view tz = footer.substr(1, end - 1);
    if (!tz.empty()) {
      rule = parse_posix_tz(tz);
      if (!rule) {
        return corrupt("malformed footer rule \"" + std::string(tz) + "\"");
      }
    }
  }
  // RFC 8536: instants before the first transition use time type 0.
  return TimeZone::from_rules(std::move(name), offsets[0], std::move(transitions), std::move(rule));
}

} // namespace reckon::util
