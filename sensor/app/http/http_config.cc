#include "sensor/app/http/http_config.h"

#include <string>

namespace vigil::sensor {

Status HttpConfig::Validate() const {
  auto bad = [](const char* what) {
    return Error(ErrorCode::kInvalidArgument, std::string("app.http.") + what);
  };
  if (max_line_length < 16) return bad("max_line_length must be at least 16");
  if (max_line_length > (1u << 24)) return bad("max_line_length must be at most 16 MiB");
  if (max_header_count == 0) return bad("max_header_count must be at least 1");
  if (max_header_bytes < max_line_length / 2 && max_header_bytes < 1024) {
    return bad("max_header_bytes must be at least 1024");
  }
  if (max_transactions == 0) return bad("max_transactions must be at least 1");
  if (max_transactions > 1u << 16) return bad("max_transactions must be at most 65536");
  if (request_body_limit > (uint64_t{1} << 30) || response_body_limit > (uint64_t{1} << 30)) {
    return bad("body limits must be at most 1 GiB");
  }
  if (decompress && decompress_max_output == 0) return bad("decompress_max_output must be > 0");
  if (decompress_max_layers < 1 || decompress_max_layers > 8) {
    return bad("decompress_max_layers must be between 1 and 8");
  }
  return Ok();
}

}  // namespace vigil::sensor
