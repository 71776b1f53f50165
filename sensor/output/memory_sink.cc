#include "sensor/output/memory_sink.h"

namespace vigil::sensor {

Status MemorySink::WriteLines(std::string_view lines) {
  std::lock_guard lock(mu_);
  while (!lines.empty()) {
    size_t nl = lines.find('\n');
    if (nl == std::string_view::npos) nl = lines.size();
    lines_.emplace_back(lines.substr(0, nl));
    lines.remove_prefix(nl < lines.size() ? nl + 1 : nl);
  }
  return Ok();
}

std::vector<std::string> MemorySink::Lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

size_t MemorySink::size() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

}  // namespace vigil::sensor
