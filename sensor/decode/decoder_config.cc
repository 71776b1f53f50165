#include "sensor/decode/decoder_config.h"

#include <string>

namespace vigil::sensor {

Result<ChecksumMode> ParseChecksumMode(std::string_view text) {
  if (text == "all" || text == "yes" || text == "auto") return ChecksumMode::kAll;
  if (text == "none" || text == "no") return ChecksumMode::kNone;
  return Error(ErrorCode::kInvalidArgument,
               "checksum mode '" + std::string(text) + "': expected 'all' or 'none'");
}

Status DecoderConfig::Validate() const {
  if (max_layers < 2 || max_layers > 255) {
    return Error(ErrorCode::kInvalidArgument,
                 "decoder.max_layers = " + std::to_string(max_layers) + ": must be 2..255");
  }
  if (max_tunnel_depth > 16) {
    return Error(ErrorCode::kInvalidArgument, "decoder.max_tunnel_depth = " +
                                                  std::to_string(max_tunnel_depth) +
                                                  ": must be 0..16");
  }
  if (max_vlan_tags > 16) {
    return Error(ErrorCode::kInvalidArgument,
                 "decoder.max_vlan_tags = " + std::to_string(max_vlan_tags) + ": must be 0..16");
  }
  if (max_ipv6_ext_headers > 64) {
    return Error(ErrorCode::kInvalidArgument, "decoder.max_ipv6_ext_headers = " +
                                                  std::to_string(max_ipv6_ext_headers) +
                                                  ": must be 0..64");
  }
  return Ok();
}

}  // namespace vigil::sensor
