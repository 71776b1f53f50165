// Logger: operator-facing log lines for every Vigil program, handed in by reference (no global).
//
//   auto log = Logger::Open({.level = LogLevel::kInfo, .path = "/var/log/vigil/sensor.log"});
//   if (!log) { ... log.error() names the file ... }
//   (*log)->Info("sensor", "loaded {} rules from {}", n, path);
//   // 2026-11-23T17:00:00.000000+0000 [info] sensor: loaded 31021 rules from rules/et.rules
//
// Formatting is libfmt's ({} placeholders, checked at compile time). Lines below the minimum
// level are dropped before formatting, so a disabled Debug() costs one atomic load. Writing takes
// a mutex, which is fine because logging is never on the per-packet path: per-packet problems are
// counted (core/counters.h) and reported as events, not logged.
#pragma once

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/file_handle.h"
#include "core/result.h"
#include "core/time.h"

namespace vigil {

enum class LogLevel : int { kError = 0, kWarning = 1, kNotice = 2, kInfo = 3, kDebug = 4 };

std::string_view LogLevelName(LogLevel level);  // "error", "warning", "notice", "info", "debug"
// Accepts the names above (case-insensitive) and "warn".
Result<LogLevel> ParseLogLevel(std::string_view name);

struct LogConfig {
  LogLevel level = LogLevel::kInfo;  // lines above this verbosity are dropped
  std::string path;                  // empty or "-": stderr; otherwise appended to this file
};

class Logger {
 public:
  // Opens the sink. clock (optional, must outlive the logger) supplies line timestamps; by
  // default the wall clock.
  static Result<std::unique_ptr<Logger>> Open(const LogConfig& config,
                                              const Clock* clock = nullptr);
  // A logger writing to stderr; cannot fail.
  explicit Logger(LogLevel level = LogLevel::kInfo, const Clock* clock = nullptr);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void set_level(LogLevel level) { level_.store(static_cast<int>(level), std::memory_order_relaxed); }
  LogLevel level() const { return static_cast<LogLevel>(level_.load(std::memory_order_relaxed)); }
  bool Enabled(LogLevel level) const {
    return static_cast<int>(level) <= level_.load(std::memory_order_relaxed);
  }

  template <typename... Args>
  void Log(LogLevel lvl, std::string_view component, fmt::format_string<Args...> f,
           Args&&... args) {
    if (!Enabled(lvl)) return;
    Write(lvl, component, fmt::vformat(f, fmt::make_format_args(args...)));
  }
  template <typename... Args>
  void Error(std::string_view c, fmt::format_string<Args...> f, Args&&... a) {
    Log(LogLevel::kError, c, f, std::forward<Args>(a)...);
  }
  template <typename... Args>
  void Warning(std::string_view c, fmt::format_string<Args...> f, Args&&... a) {
    Log(LogLevel::kWarning, c, f, std::forward<Args>(a)...);
  }
  template <typename... Args>
  void Notice(std::string_view c, fmt::format_string<Args...> f, Args&&... a) {
    Log(LogLevel::kNotice, c, f, std::forward<Args>(a)...);
  }
  template <typename... Args>
  void Info(std::string_view c, fmt::format_string<Args...> f, Args&&... a) {
    Log(LogLevel::kInfo, c, f, std::forward<Args>(a)...);
  }
  template <typename... Args>
  void Debug(std::string_view c, fmt::format_string<Args...> f, Args&&... a) {
    Log(LogLevel::kDebug, c, f, std::forward<Args>(a)...);
  }

  // Writes one already-formatted line (no level check). Newlines in message are kept as
  // " | " so one call is always one line.
  void Write(LogLevel level, std::string_view component, std::string_view message);

 private:
  std::atomic<int> level_;
  const Clock* clock_;
  std::unique_ptr<Clock> own_clock_;
  std::mutex mu_;                               // serialises writes to the sink
  UniqueFile file_;                             // null: stderr
  std::string line_;                            // reused line buffer, guarded by mu_
};

}  // namespace vigil
