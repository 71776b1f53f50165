#include "core/control/control_request.h"

#include <fmt/format.h>

namespace vigil::control {
namespace {

// A printable excerpt of a bad request for the error reply (bytes outside ASCII as \xNN).
std::string Excerpt(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out;
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (s.size() > kMax) out += "...";
  return out;
}

}  // namespace

std::string_view ControlVerbName(ControlVerb verb) {
  switch (verb) {
    case ControlVerb::kStatus: return "status";
    case ControlVerb::kPing: return "ping";
    case ControlVerb::kHelp: return "help";
  }
  return "?";
}

Result<ControlRequest> ParseControlRequest(std::string_view line) {
  if (line.size() > kMaxControlRequestBytes) {
    return Error(ErrorCode::kLimit, fmt::format("request longer than {} bytes", kMaxControlRequestBytes));
  }
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return Error(ErrorCode::kParse, "empty request: expected status, ping or help");
  for (const ControlVerb v : {ControlVerb::kStatus, ControlVerb::kPing, ControlVerb::kHelp}) {
    if (line == ControlVerbName(v)) return ControlRequest{v};
  }
  return Error(ErrorCode::kParse,
               fmt::format("unknown request '{}': expected status, ping or help", Excerpt(line)));
}

}  // namespace vigil::control
