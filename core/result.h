// Result<T>: the value of an operation that can fail, in the style of std::expected.
//
// Vigil never throws on the packet or event path. Functions that can fail return
// `[[nodiscard]] Result<T>`; the success case holds a T and costs nothing more than a T plus a
// tag. The failure case holds an Error: a category code and a human-readable message that names
// what was wrong (a file:line, a key, a field), ready to print to an operator.
//
//   Result<int> ParsePort(std::string_view s);
//   auto r = ParsePort("80");
//   if (!r) { log.Error("{}", r.error().message); return r.error(); }
//   int port = *r;
//
// Foreign error types (rocksdb::Status, hs_error_t, zmq::error_t) are converted to Error at the
// boundary of the folder that owns the library.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace vigil {

enum class ErrorCode {
  kInvalidArgument,  // the caller passed something malformed (config value, rule, flag)
  kParse,            // input text or bytes could not be parsed
  kNotFound,         // a file, key or object does not exist
  kIo,               // the operating system or a library failed to read or write
  kUnsupported,      // valid input that uses a feature Vigil does not implement
  kLimit,            // a configured limit (memcap, depth, size) was hit
  kCorrupt,          // stored or received data failed an integrity check
  kUnavailable,      // a peer or resource is not reachable right now; retrying may help
  kPermission,       // authentication or authorisation refused
  kInternal,         // a bug: an invariant did not hold
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  // "parse: eve.json:3: unterminated string"
  std::string ToString() const;
};

// Tag for constructing a failed Result from an Error: `return Unexpected(err);` is optional;
// an Error converts implicitly.
template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(const T& v) : v_(std::in_place_index<0>, v) {}  // NOLINT(google-explicit-constructor)
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Result> &&
                                        !std::is_same_v<std::decay_t<U>, Error> &&
                                        !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& v) : v_(std::in_place_index<0>, T(std::forward<U>(v))) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return *std::get_if<0>(&v_); }
  const T& value() const& { assert(ok()); return *std::get_if<0>(&v_); }
  T&& value() && { assert(ok()); return std::move(*std::get_if<0>(&v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return *std::get_if<1>(&v_); }
  Error&& error() && { assert(!ok()); return std::move(*std::get_if<1>(&v_)); }

  template <typename U>
  T value_or(U&& fallback) const& { return ok() ? value() : static_cast<T>(std::forward<U>(fallback)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return err_; }
  Error&& error() && { assert(!ok_); return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace vigil

// Propagates a failed Result from the enclosing function: VIGIL_TRY(x, Parse(s)); uses x after.
#define VIGIL_CONCAT_INNER(a, b) a##b
#define VIGIL_CONCAT(a, b) VIGIL_CONCAT_INNER(a, b)
#define VIGIL_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                    \
  if (!tmp) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define VIGIL_TRY(decl, expr) VIGIL_TRY_IMPL(VIGIL_CONCAT(vigil_try_, __LINE__), decl, expr)
// Propagates a failed Status: VIGIL_CHECK_OK(store.Put(...));
#define VIGIL_CHECK_OK(expr)                                       \
  do {                                                             \
    auto vigil_status_ = (expr);                                   \
    if (!vigil_status_) return std::move(vigil_status_).error();   \
  } while (0)
