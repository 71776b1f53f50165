#include "core/log.h"

#include <cerrno>
#include <cstring>

namespace vigil {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kNotice: return "notice";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "unknown";
}

Result<LogLevel> ParseLogLevel(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "error") return LogLevel::kError;
  if (lower == "warning" || lower == "warn") return LogLevel::kWarning;
  if (lower == "notice") return LogLevel::kNotice;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "debug") return LogLevel::kDebug;
  return Error(ErrorCode::kInvalidArgument,
               "unknown log level '" + std::string(name) +
                   "': expected one of error, warning, notice, info, debug");
}

Logger::Logger(LogLevel level, const Clock* clock)
    : level_(static_cast<int>(level)), clock_(clock) {
  if (clock_ == nullptr) {
    own_clock_ = std::make_unique<WallClock>();
    clock_ = own_clock_.get();
  }
}

Logger::~Logger() = default;

Result<std::unique_ptr<Logger>> Logger::Open(const LogConfig& config, const Clock* clock) {
  auto log = std::make_unique<Logger>(config.level, clock);
  if (!config.path.empty() && config.path != "-") {
    std::FILE* f = std::fopen(config.path.c_str(), "a");
    if (f == nullptr) {
      // vigil:: because Logger::Error (the log method) hides the type here.
      return vigil::Error(ErrorCode::kIo,
                   "cannot open log file " + config.path + ": " + std::strerror(errno));
    }
    log->file_.reset(f);
  }
  return Result<std::unique_ptr<Logger>>(std::move(log));
}

void Logger::Write(LogLevel level, std::string_view component, std::string_view message) {
  char ts[Timestamp::kEveLength];
  clock_->Now().WriteEve(ts);
  std::lock_guard<std::mutex> lock(mu_);
  line_.clear();
  line_.append(ts, sizeof(ts));
  line_.append(" [");
  line_.append(LogLevelName(level));
  line_.append("] ");
  line_.append(component);
  line_.append(": ");
  for (char c : message) {
    if (c == '\n') {
      line_.append(" | ");
    } else if (c != '\r') {
      line_.push_back(c);
    }
  }
  line_.push_back('\n');
  std::FILE* out = file_ ? file_.get() : stderr;
  std::fwrite(line_.data(), 1, line_.size(), out);
  std::fflush(out);
}

}  // namespace vigil
