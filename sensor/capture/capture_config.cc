#include "sensor/capture/capture_config.h"

namespace vigil::sensor {

namespace {
Error Invalid(std::string msg) { return Error(ErrorCode::kInvalidArgument, "capture: " + std::move(msg)); }
}  // namespace

const char* QueueFullPolicyName(QueueFullPolicy p) {
  switch (p) {
    case QueueFullPolicy::kBlock: return "block";
    case QueueFullPolicy::kDrop: return "drop";
  }
  return "unknown";
}

Status CaptureConfig::ValidateHandoff() const {
  if (snaplen < 64 || snaplen > 262144) {
    return Invalid("snaplen " + std::to_string(snaplen) + " out of range [64, 262144]");
  }
  if (slot_bytes < 64 || slot_bytes > snaplen) {
    return Invalid("slot_bytes " + std::to_string(slot_bytes) + " out of range [64, snaplen=" +
                   std::to_string(snaplen) + "]");
  }
  if (pool_slots < 2) return Invalid("pool_slots must be >= 2");
  if (pool_slots > (1u << 24)) return Invalid("pool_slots must be <= 16777216");
  if (large_slots > pool_slots) return Invalid("large_slots must be <= pool_slots");
  if (large_slots == 0 && snaplen > slot_bytes) {
    return Invalid("large_slots is 0 but snaplen > slot_bytes: large frames would have nowhere to go");
  }
  if (worker_ring_size < 2 || worker_ring_size > (1u << 24)) {
    return Invalid("worker_ring_size out of range [2, 16777216]");
  }
  return Ok();
}

Status CaptureConfig::Validate() const {
  if (inputs.empty() && interface.empty()) {
    return Invalid("no input: set either inputs (pcap files/directories) or interface");
  }
  if (!inputs.empty() && !interface.empty()) {
    return Invalid("both inputs and interface are set: choose offline or live");
  }
  if (buffer_bytes < (1u << 20)) return Invalid("buffer_bytes must be >= 1 MiB");
  if (timeout_ms < 1 || timeout_ms > 10000) return Invalid("timeout_ms out of range [1, 10000]");
  if (stats_interval_ms < 1) return Invalid("stats_interval_ms must be >= 1");
  if (progress_step_bytes < 4096) return Invalid("progress_step_bytes must be >= 4096");
  return ValidateHandoff();
}

}  // namespace vigil::sensor
