// Fuzzes the control socket's request handling (core/control/control_server.h ControlReply):
// arbitrary bytes as a request must give exactly one valid JSON reply line, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/control/control_server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static vigil::control::StatusReport* report = new vigil::control::StatusReport("vigil-fuzz", "x");
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string reply = vigil::control::ControlReply(in, *report);
  if (reply.empty() || reply.back() != '\n' || reply.find('\n') != reply.size() - 1 || reply.front() != '{') {
    std::abort();  // one JSON object per reply, on one line
  }
  return 0;
}
