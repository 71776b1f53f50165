#include "sensor/detect/detect_config.h"

namespace vigil::sensor {

Status DetectConfig::Validate() const {
  if (max_alerts_per_inspection == 0 || max_alerts_per_inspection > 1024)
    return Error(ErrorCode::kInvalidArgument, "detect.max_alerts_per_inspection must be 1..1024");
  if (max_ports_per_rule_group > 65536)
    return Error(ErrorCode::kInvalidArgument, "detect.max_ports_per_rule_group must be <= 65536");
  if (stream_window_bytes > (16u << 20))
    return Error(ErrorCode::kInvalidArgument, "detect.stream_window_bytes must be <= 16 MiB");
  if (threshold_table_size == 0)
    return Error(ErrorCode::kInvalidArgument, "detect.threshold_table_size must be > 0");
  if (xbits_table_size == 0)
    return Error(ErrorCode::kInvalidArgument, "detect.xbits_table_size must be > 0");
  if (inspection_recursion_limit == 0)
    return Error(ErrorCode::kInvalidArgument, "detect.inspection_recursion_limit must be > 0");
  return Ok();
}

}  // namespace vigil::sensor
