// MemorySink: an EventSink that keeps every line in memory — for tests, tools and the
// in-process RunOffline() API, where the caller wants the events without a file.
//
//   MemorySink sink;
//   auto summary = RunOffline(config, sink);
//   for (const std::string& line : sink.Lines()) ...
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "sensor/output/event_sink.h"

namespace vigil::sensor {

class MemorySink final : public EventSink {
 public:
  [[nodiscard]] Status WriteLines(std::string_view lines) override;
  [[nodiscard]] Status Flush() override { return Ok(); }
  std::string Describe() const override { return "memory"; }

  // A copy of every line received so far (without the '\n'), in arrival order.
  std::vector<std::string> Lines() const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace vigil::sensor
