// ControlMessage: what a receiver sends DOWN to a connected sender on the same connection (rule
// bundles, indicator lists, other typed payloads), carried as the payload of a kControl frame.
// The sender hands it to its application callback and answers with kControlAck.
//
// Payload layout (format version 1, big-endian), inside a kControl frame whose seq numbers the
// control messages of one receiver for one origin:
//
//   off size field
//    0   1  format       1 (this layout); anything else is rejected
//    1   1  kind         ControlKind
//    2   2  id_len       bytes of bundle id that follow the fixed part
//    4   8  version      version of the bundle/list (the application's, e.g. rule set revision)
//   12   .  bundle_id    printable ASCII, 1..max_bundle_id_bytes
//    .   .  body         the bundle itself (opaque here: the application parses it)
//
//   ControlMessage m{ControlKind::kRuleBundle, 42, "rules-2026-11-23", bundle_bytes};
//   VIGIL_TRY(uint64_t seq, receiver->SendControl("prov-07/s1", m));
//   // sender side: options.on_control = [](const ControlMessageView& m) { ...; return Ok(); };
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::transport {

inline constexpr uint8_t kControlFormat = 1;
inline constexpr size_t kControlHeaderSize = 12;
inline constexpr size_t kMaxBundleIdBytes = 256;

enum class ControlKind : uint8_t {
  kRuleBundle = 1,
  kIndicatorList = 2,
  kOther = 3,
};
const char* ControlKindName(ControlKind k);

struct ControlMessage {
  ControlKind kind = ControlKind::kOther;
  uint64_t version = 0;
  std::string bundle_id;
  std::string body;
};

// A parsed control payload; views point into the frame.
struct ControlMessageView {
  ControlKind kind = ControlKind::kOther;
  uint64_t version = 0;
  uint64_t seq = 0;  // the frame's control sequence number
  std::string_view bundle_id;
  std::string_view body;
};

// Encodes the payload of a kControl frame into `out` (cleared first). kInvalidArgument for an
// empty, too long or non-printable bundle id or an unknown kind.
Status EncodeControlPayload(const ControlMessage& m, std::string* out);
// Parses a kControl payload, every length checked before use.
[[nodiscard]] Result<ControlMessageView> ParseControlPayload(std::string_view payload);

}  // namespace vigil::transport
