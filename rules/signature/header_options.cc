#include "rules/signature/header_options.h"

#include <string>

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

struct ProtoName {
  std::string_view name;
  uint8_t number;
};
constexpr ProtoName kProtoNames[] = {
    {"icmp", 1}, {"igmp", 2}, {"ipip", 4}, {"tcp", 6}, {"udp", 17}, {"ipv6", 41}, {"gre", 47},
    {"esp", 50}, {"ah", 51}, {"ipv6-icmp", 58}, {"icmpv6", 58}, {"ospf", 89}, {"pim", 103},
    {"vrrp", 112}, {"sctp", 132},
};

Result<uint8_t> FlagBits(std::string_view s, bool allow_zero, bool* zero) {
  uint8_t bits = 0;
  for (char c : s) {
    switch (c) {
      case 'F': case 'f': bits |= kTcpFin; break;
      case 'S': case 's': bits |= kTcpSyn; break;
      case 'R': case 'r': bits |= kTcpRst; break;
      case 'P': case 'p': bits |= kTcpPsh; break;
      case 'A': case 'a': bits |= kTcpAck; break;
      case 'U': case 'u': bits |= kTcpUrg; break;
      case 'C': case 'c': case '1': bits |= kTcpCwr; break;
      case 'E': case 'e': case '2': bits |= kTcpEce; break;
      case '0':
        if (!allow_zero) return Bad("flags: '0' is not valid in a mask");
        *zero = true;
        break;
      default: return Bad(std::string("flags: unknown flag '") + c + "'");
    }
  }
  return bits;
}

}  // namespace

Result<TcpFlagsOption> ParseTcpFlags(std::string_view value) {
  TcpFlagsOption f;
  auto parts = SplitTrim(value, ',');
  if (parts.size() > 2) return Bad("flags takes <flags>[,<mask>]");
  std::string letters;
  bool have_mode = false;
  for (char c : parts[0]) {
    if (c == '!' || c == '+' || c == '*') {
      if (have_mode) return Bad("flags: only one of '!', '+', '*' may be given");
      have_mode = true;
      f.mode = c == '!' ? TcpFlagsMode::kNot : c == '+' ? TcpFlagsMode::kAll : TcpFlagsMode::kAny;
    } else if (!IsSpace(c)) {
      letters.push_back(c);
    }
  }
  if (letters.empty()) return Bad("flags: no flags given");
  bool zero = false;
  VIGIL_TRY(f.flags, FlagBits(letters, true, &zero));
  if (zero && (f.flags != 0 || f.mode != TcpFlagsMode::kExact)) {
    return Bad("flags: '0' (no flags) cannot be combined with other flags or modifiers");
  }
  if (parts.size() == 2) {
    bool unused = false;
    VIGIL_TRY(f.ignore_mask, FlagBits(parts[1], false, &unused));
  }
  return f;
}

bool IsHeaderKeyword(std::string_view k) {
  return k == "itype" || k == "icode" || k == "icmp_id" || k == "icmp_seq" || k == "ttl" ||
         k == "ip_proto" || k == "id" || k == "tos" || k == "window" || k == "seq" || k == "ack" ||
         k == "flags" || k == "sameip" || k == "tcp.flags" || k == "tcp.seq" || k == "tcp.ack" ||
         k == "decode-event" || k == "ipopts";
}

Status ApplyHeaderOption(HeaderOptions* h, std::string_view k, std::string_view value, bool has_value) {
  // Suricata 7/8 names of the TCP header keywords.
  if (k == "tcp.flags") k = "flags";
  else if (k == "tcp.seq") k = "seq";
  else if (k == "tcp.ack") k = "ack";
  if (k == "sameip") {
    if (has_value) return Bad("sameip takes no value");
    h->sameip = true;
    return Ok();
  }
  if (!has_value || Trim(value).empty()) return Bad("'" + std::string(k) + "' needs a value");
  if (k == "decode-event") {
    VIGIL_TRY(DecodeEventOption e, ParseDecodeEvent(value));
    h->decode_events.push_back(std::move(e));
    return Ok();
  }
  if (k == "ipopts") {
    VIGIL_TRY(IpOptsOption o, ParseIpOpts(value));
    h->ipopts.push_back(o);
    return Ok();
  }
  if (k == "flags") {
    if (h->flags) return Bad("flags given twice");
    VIGIL_TRY(h->flags, ParseTcpFlags(value));
    return Ok();
  }
  std::optional<IntegerMatch>* slot = nullptr;
  uint64_t limit = 255;
  if (k == "itype") slot = &h->itype;
  else if (k == "icode") slot = &h->icode;
  else if (k == "ttl") slot = &h->ttl;
  else if (k == "tos") slot = &h->tos;
  else if (k == "ip_proto") slot = &h->ip_proto;
  else if (k == "icmp_id") { slot = &h->icmp_id; limit = 65535; }
  else if (k == "icmp_seq") { slot = &h->icmp_seq; limit = 65535; }
  else if (k == "id") { slot = &h->ip_id; limit = 65535; }
  else if (k == "window") { slot = &h->window; limit = 65535; }
  else if (k == "seq") { slot = &h->seq; limit = 0xffffffffu; }
  else if (k == "ack") { slot = &h->ack; limit = 0xffffffffu; }
  else return Bad("'" + std::string(k) + "' is not a header keyword");
  if (slot->has_value()) return Bad(std::string(k) + " given twice");
  std::string_view v = Trim(value);
  if (k == "ip_proto") {
    // Names are resolved to numbers; the operator (if any) stays.
    size_t op_len = 0;
    while (op_len < v.size() && (v[op_len] == '!' || v[op_len] == '<' || v[op_len] == '>' || v[op_len] == '=')) ++op_len;
    std::string_view name = Trim(v.substr(op_len));
    for (const ProtoName& p : kProtoNames) {
      if (EqualsIgnoreCase(name, p.name)) {
        std::string rewritten = std::string(v.substr(0, op_len)) + std::to_string(p.number);
        VIGIL_TRY(*slot, ParseIntegerMatch(rewritten, limit));
        return Ok();
      }
    }
  }
  VIGIL_TRY(*slot, ParseIntegerMatch(v, limit));
  return Ok();
}

}  // namespace vigil::rules
