// EveFile: the EVE JSON log file (LOGDIR/eve.json), an EventSink.
//
// RAII over one FILE* with a large user-space buffer; every worker's EventWriter appends whole
// batches of lines under one mutex, so lines from different threads never interleave and the
// lock is taken once per batch. Flushed on Flush() and in the destructor, so an orderly exit
// (end of input, SIGINT) loses nothing.
//
//   auto eve = EveFile::Open("/var/log/vigil/eve.json", {.append = true});
//   if (!eve) { /* "eve: cannot open /var/log/vigil/eve.json: Permission denied" */ }
//   EventWriter w(**eve, ...);
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "core/file_handle.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor {

struct EveFileOptions {
  // Append to an existing file (Suricata's default for its file outputs) or truncate it.
  bool append = true;
  // stdio buffer: writes reach the kernel in blocks of this size. 1 MiB by default.
  size_t buffer_bytes = 1u << 20;
};

class EveFile final : public EventSink {
 public:
  [[nodiscard]] static Result<std::unique_ptr<EveFile>> Open(const std::string& path,
                                                             const EveFileOptions& options = {});
  ~EveFile() override;

  [[nodiscard]] Status WriteLines(std::string_view lines) override;
  [[nodiscard]] Status Flush() override;
  std::string Describe() const override { return "eve: " + path_; }

  const std::string& path() const { return path_; }
  // Bytes written through WriteLines so far.
  uint64_t bytes_written() const;

 private:
  EveFile(std::string path, std::FILE* f, size_t buffer_bytes);

  const std::string path_;
  mutable std::mutex mu_;  // serialises writes; taken once per batch
  std::unique_ptr<char[]> buffer_;
  UniqueFile file_;
  uint64_t bytes_ = 0;
};

}  // namespace vigil::sensor
