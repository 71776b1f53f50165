#include "sensor/reassembly/reassembly_config.h"

#include <string>

namespace vigil::sensor {

std::string_view OverlapPolicyName(OverlapPolicy p) {
  switch (p) {
    case OverlapPolicy::kFirst: return "first";
    case OverlapPolicy::kLast: return "last";
  }
  return "?";
}

Result<OverlapPolicy> ParseOverlapPolicy(std::string_view name) {
  if (name == "first") return OverlapPolicy::kFirst;
  if (name == "last") return OverlapPolicy::kLast;
  return Error(ErrorCode::kInvalidArgument,
               "reassembly overlap policy '" + std::string(name) + "': expected first or last");
}

Status ReassemblyConfig::Validate() const {
  if (chunk_size < 64 || chunk_size > (1u << 20)) {
    return Error(ErrorCode::kInvalidArgument,
                 "reassembly chunk_size " + std::to_string(chunk_size) +
                     ": must be between 64 and 1048576 bytes");
  }
  if (memcap < chunk_size) {
    return Error(ErrorCode::kInvalidArgument,
                 "reassembly memcap " + std::to_string(memcap) + ": smaller than one chunk (" +
                     std::to_string(chunk_size) + " bytes)");
  }
  if (session_memcap < chunk_size) {
    return Error(ErrorCode::kInvalidArgument,
                 "reassembly session_memcap " + std::to_string(session_memcap) +
                     ": smaller than one chunk (" + std::to_string(chunk_size) + " bytes)");
  }
  if (max_ooo_segments == 0) {
    return Error(ErrorCode::kInvalidArgument, "reassembly max_ooo_segments must be at least 1");
  }
  // Offsets inside one window are compared as signed 32-bit sequence differences.
  if (window_slack > (1u << 30)) {
    return Error(ErrorCode::kInvalidArgument, "reassembly window_slack must be at most 1 GiB");
  }
  return Ok();
}

}  // namespace vigil::sensor
