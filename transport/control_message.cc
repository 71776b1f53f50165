#include "transport/control_message.h"

#include <algorithm>

#include "storage/key_codec.h"

namespace vigil::transport {
namespace {

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxBundleIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool KnownKind(uint8_t k) { return k >= 1 && k <= 3; }

}  // namespace

const char* ControlKindName(ControlKind k) {
  switch (k) {
    case ControlKind::kRuleBundle: return "rule_bundle";
    case ControlKind::kIndicatorList: return "indicator_list";
    case ControlKind::kOther: return "other";
  }
  return "unknown";
}

Status EncodeControlPayload(const ControlMessage& m, std::string* out) {
  if (!KnownKind(static_cast<uint8_t>(m.kind))) return Error(ErrorCode::kInvalidArgument, "control: unknown kind");
  if (!ValidId(m.bundle_id)) {
    return Error(ErrorCode::kInvalidArgument, "control: bundle id must be 1.." + std::to_string(kMaxBundleIdBytes) +
                                                  " printable characters");
  }
  out->clear();
  out->reserve(kControlHeaderSize + m.bundle_id.size() + m.body.size());
  out->push_back(static_cast<char>(kControlFormat));
  out->push_back(static_cast<char>(m.kind));
  out->push_back(static_cast<char>(m.bundle_id.size() >> 8));
  out->push_back(static_cast<char>(m.bundle_id.size() & 0xff));
  storage::PutU64BE(out, m.version);
  out->append(m.bundle_id);
  out->append(m.body);
  return Ok();
}

Result<ControlMessageView> ParseControlPayload(std::string_view p) {
  if (p.size() < kControlHeaderSize) return Error(ErrorCode::kCorrupt, "control: truncated header");
  const auto* b = reinterpret_cast<const unsigned char*>(p.data());
  if (b[0] != kControlFormat) return Error(ErrorCode::kCorrupt, "control: unknown format " + std::to_string(b[0]));
  if (!KnownKind(b[1])) return Error(ErrorCode::kCorrupt, "control: unknown kind " + std::to_string(b[1]));
  const size_t id_len = (size_t{b[2]} << 8) | b[3];
  if (p.size() - kControlHeaderSize < id_len) return Error(ErrorCode::kCorrupt, "control: truncated bundle id");
  ControlMessageView v;
  v.kind = static_cast<ControlKind>(b[1]);
  v.version = storage::DecodeU64BE(p.data() + 4);
  v.bundle_id = p.substr(kControlHeaderSize, id_len);
  if (!ValidId(v.bundle_id)) return Error(ErrorCode::kCorrupt, "control: invalid bundle id");
  v.body = p.substr(kControlHeaderSize + id_len);
  return v;
}

}  // namespace vigil::transport
