#include "sensor/output/eve_file.h"

#include <cerrno>
#include <cstring>

namespace vigil::sensor {

EveFile::EveFile(std::string path, std::FILE* f, size_t buffer_bytes)
    : path_(std::move(path)), file_(f) {
  if (buffer_bytes > 0) {
    buffer_ = std::make_unique<char[]>(buffer_bytes);
    std::setvbuf(file_.get(), buffer_.get(), _IOFBF, buffer_bytes);
  }
}

EveFile::~EveFile() {
  // The FILE must be closed before its buffer goes away; member order would destroy file_
  // first anyway, but say it explicitly.
  std::lock_guard lock(mu_);
  if (file_) std::fflush(file_.get());
  file_.reset();
}

Result<std::unique_ptr<EveFile>> EveFile::Open(const std::string& path,
                                               const EveFileOptions& options) {
  std::FILE* f = std::fopen(path.c_str(), options.append ? "ae" : "we");
  if (f == nullptr) {
    const int err = errno;
    return Error(err == EACCES || err == EPERM ? ErrorCode::kPermission : ErrorCode::kIo,
                 "eve: cannot open " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<EveFile>(new EveFile(path, f, options.buffer_bytes));
}

Status EveFile::WriteLines(std::string_view lines) {
  std::lock_guard lock(mu_);
  if (lines.empty()) return Ok();
  if (std::fwrite(lines.data(), 1, lines.size(), file_.get()) != lines.size()) {
    return Error(ErrorCode::kIo, "eve: write to " + path_ + " failed: " + std::strerror(errno));
  }
  bytes_ += lines.size();
  return Ok();
}

Status EveFile::Flush() {
  std::lock_guard lock(mu_);
  if (std::fflush(file_.get()) != 0) {
    return Error(ErrorCode::kIo, "eve: flush of " + path_ + " failed: " + std::strerror(errno));
  }
  return Ok();
}

uint64_t EveFile::bytes_written() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace vigil::sensor
