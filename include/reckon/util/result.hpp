#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace reckon::util {

// What kind of failure an error is; the application maps each kind to an exit code.
enum class ErrorCode {
  usage,     // the command line asks for something impossible
  bad_input, // input data are malformed or contradictory
  io,        // a file could not be read or written
  network,   // the network or a remote API failed beyond what retries cure
};

// A failure with a "context: reason" message and the place it arose: a file, file:line:column,
// or a JSON path.
struct Error {
  ErrorCode code;
  std::string where;
  std::string message;

  std::string describe() const { return where.empty() ? message : where + ": " + message; }
};

inline Error make_error(ErrorCode code, std::string where, std::string message) {
  return Error{code, std::move(where), std::move(message)};
}

// The subset of std::expected (absent from GCC 12) that Reckon's interfaces need.
template <class T>
class [[nodiscard]] Result {
public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return m_state.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(m_state);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(m_state);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(m_state));
  }
  const Error& error() const {
    assert(!has_value());
    return std::get<1>(m_state);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

private:
  std::variant<T, Error> m_state;
};

// Success carries nothing; failure carries an Error.
template <>
class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)), m_failed(true) {}

  bool has_value() const { return !m_failed; }
  explicit operator bool() const { return has_value(); }
  const Error& error() const {
    assert(m_failed);
    return m_error;
  }

private:
  Error m_error{};
  bool m_failed = false;
};

} // namespace reckon::util
