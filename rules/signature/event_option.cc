#include "rules/signature/event_option.h"

#include "rules/signature/option_lexer.h"

namespace vigil::rules {
namespace {

Error Bad(std::string m) { return Error(ErrorCode::kParse, std::move(m)); }

bool EventChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

struct IpOptName {
  std::string_view name;
  uint8_t type;
};
// Option type bytes: RFC 791 (eol nop sec lsrr ts rr satid ssrr), RFC 1108 (esec), RFC 2113
// (rtralt), FIPS 188 CIPSO (134), RFC 4782 (qs).
constexpr IpOptName kIpOpts[] = {
    {"eol", 0},      {"nop", 1},     {"rr", 7},       {"qs", 25},    {"ts", 68},
    {"sec", 130},    {"lsrr", 131},  {"esec", 133},   {"cipso", 134}, {"satid", 136},
    {"ssrr", 137},   {"rtralt", 148},
};

}  // namespace

Result<DecodeEventOption> ParseDecodeEvent(std::string_view value) {
  std::string_view v = Trim(StripQuotes(Trim(value)));
  if (v.starts_with("decoder.")) v.remove_prefix(8);
  if (v.empty()) return Bad("decode-event needs an event name such as ipv4.trunc_pkt");
  const size_t dot = v.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == v.size()) {
    return Bad("decode-event: '" + std::string(v) + "' is not of the form <layer>.<event>");
  }
  for (char c : v) {
    if (!EventChar(c)) {
      return Bad("decode-event: invalid character '" + std::string(1, c) + "' in '" +
                 std::string(v) + "'");
    }
  }
  return DecodeEventOption{std::string(v)};
}

Result<IpOptsOption> ParseIpOpts(std::string_view value) {
  std::string_view v = Trim(value);
  if (v.empty()) return Bad("ipopts needs an option name (rr, lsrr, ssrr, ts, sec, esec, ...)");
  IpOptsOption o;
  if (EqualsIgnoreCase(v, "any")) {
    o.any = true;
    return o;
  }
  for (const IpOptName& n : kIpOpts) {
    if (EqualsIgnoreCase(v, n.name)) {
      o.type = n.type;
      return o;
    }
  }
  return Bad("ipopts: unknown option '" + std::string(v) +
             "' (rr lsrr ssrr ts sec esec satid eol nop rtralt cipso qs any)");
}

}  // namespace vigil::rules
