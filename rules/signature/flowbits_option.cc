#include "rules/signature/flowbits_option.h"

#include "rules/signature/integer_match.h"
#include "rules/signature/option_lexer.h"

namespace vigil::rules {

Result<FlowbitsOption> ParseFlowbits(std::string_view value) {
  FlowbitsOption f;
  std::string_view v = Trim(value);
  size_t comma = v.find(',');
  std::string_view cmd = Trim(v.substr(0, comma));
  std::string_view names = comma == std::string_view::npos ? std::string_view() : Trim(v.substr(comma + 1));
  if (cmd == "set") f.command = FlowbitsCommand::kSet;
  else if (cmd == "unset") f.command = FlowbitsCommand::kUnset;
  else if (cmd == "toggle") f.command = FlowbitsCommand::kToggle;
  else if (cmd == "isset") f.command = FlowbitsCommand::kIsSet;
  else if (cmd == "isnotset") f.command = FlowbitsCommand::kIsNotSet;
  else if (cmd == "noalert") f.command = FlowbitsCommand::kNoAlert;
  else return Error(ErrorCode::kParse, "flowbits: unknown command '" + std::string(cmd) + "'");
  if (f.command == FlowbitsCommand::kNoAlert) {
    if (comma != std::string_view::npos) return Error(ErrorCode::kParse, "flowbits:noalert takes no name");
    return f;
  }
  if (names.empty()) return Error(ErrorCode::kParse, "flowbits:" + std::string(cmd) + " needs a name");
  const bool has_or = names.find('|') != std::string_view::npos;
  const bool has_and = names.find('&') != std::string_view::npos;
  if (has_or && has_and) return Error(ErrorCode::kParse, "flowbits: can't mix '|' and '&' in one name group");
  if (has_or && !f.is_check()) {
    return Error(ErrorCode::kParse, "flowbits: '|' (any of) only makes sense with isset/isnotset");
  }
  f.join = has_or ? FlowbitsJoin::kOr : has_and ? FlowbitsJoin::kAnd : FlowbitsJoin::kSingle;
  for (std::string_view n : SplitTrim(names, has_or ? '|' : '&')) {
    if (n.empty()) return Error(ErrorCode::kParse, "flowbits: empty name in '" + std::string(names) + "'");
    for (char c : n) {
      if (IsSpace(c) || c == ',' || c == '"' || c == ';') {
        return Error(ErrorCode::kParse, "flowbits: invalid name '" + std::string(n) + "'");
      }
    }
    f.names.emplace_back(n);
  }
  return f;
}

Result<XbitsOption> ParseXbits(std::string_view value) {
  XbitsOption x;
  auto parts = SplitTrim(value, ',');
  std::string_view cmd = parts[0];
  if (cmd == "set") x.command = FlowbitsCommand::kSet;
  else if (cmd == "unset") x.command = FlowbitsCommand::kUnset;
  else if (cmd == "toggle") x.command = FlowbitsCommand::kToggle;
  else if (cmd == "isset") x.command = FlowbitsCommand::kIsSet;
  else if (cmd == "isnotset") x.command = FlowbitsCommand::kIsNotSet;
  else if (cmd == "noalert") x.command = FlowbitsCommand::kNoAlert;
  else return Error(ErrorCode::kParse, "xbits: unknown command '" + std::string(cmd) + "'");
  if (x.command == FlowbitsCommand::kNoAlert) {
    if (parts.size() != 1) return Error(ErrorCode::kParse, "xbits:noalert takes no arguments");
    return x;
  }
  if (parts.size() < 3) return Error(ErrorCode::kParse, "xbits needs <command>,<name>,track <ip_src|ip_dst|ip_pair|tx>");
  x.name = std::string(parts[1]);
  if (x.name.empty() || x.name.find_first_of(" \t|&\"") != std::string::npos) {
    return Error(ErrorCode::kParse, "xbits: invalid name '" + x.name + "'");
  }
  bool have_track = false, have_expire = false;
  for (size_t i = 2; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.starts_with("track")) {
      if (have_track) return Error(ErrorCode::kParse, "xbits: track given twice");
      have_track = true;
      std::string_view t = Trim(p.substr(5));
      if (t == "ip_src") x.track = XbitsTrack::kIpSrc;
      else if (t == "ip_dst") x.track = XbitsTrack::kIpDst;
      else if (t == "ip_pair") x.track = XbitsTrack::kIpPair;
      else if (t == "tx") x.track = XbitsTrack::kTx;
      else return Error(ErrorCode::kParse, "xbits: unknown track '" + std::string(t) + "'");
    } else if (p.starts_with("expire")) {
      if (have_expire) return Error(ErrorCode::kParse, "xbits: expire given twice");
      have_expire = true;
      VIGIL_TRY(uint64_t n, ParseUnsigned(p.substr(6), 0xffffffffu));
      if (n == 0) return Error(ErrorCode::kParse, "xbits: expire must be at least 1 second");
      x.expire_seconds = static_cast<uint32_t>(n);
    } else {
      return Error(ErrorCode::kParse, "xbits: unknown argument '" + std::string(p) + "'");
    }
  }
  if (!have_track) return Error(ErrorCode::kParse, "xbits needs 'track ip_src|ip_dst|ip_pair|tx'");
  return x;
}

Result<FlowintOption> ParseFlowint(std::string_view value) {
  auto parts = SplitTrim(value, ',');
  if (parts.size() < 2 || parts.size() > 3) return Error(ErrorCode::kParse, "flowint takes <name>,<op>[,<value>]");
  FlowintOption f;
  if (!IsIdentifier(parts[0])) return Error(ErrorCode::kParse, "flowint: invalid name '" + std::string(parts[0]) + "'");
  f.name = std::string(parts[0]);
  struct OpName {
    std::string_view text;
    FlowintOp op;
  };
  static constexpr OpName kOps[] = {
      {"+", FlowintOp::kAdd}, {"-", FlowintOp::kSub}, {"=", FlowintOp::kAssign}, {"==", FlowintOp::kEq},
      {"!=", FlowintOp::kNe}, {"<", FlowintOp::kLt}, {">", FlowintOp::kGt}, {"<=", FlowintOp::kLe},
      {">=", FlowintOp::kGe}, {"isset", FlowintOp::kIsSet}, {"isnotset", FlowintOp::kIsNotSet},
      {"notset", FlowintOp::kIsNotSet},
  };
  bool found = false;
  for (const OpName& o : kOps) {
    if (o.text == parts[1]) {
      f.op = o.op;
      found = true;
    }
  }
  if (!found) return Error(ErrorCode::kParse, "flowint: unknown operator '" + std::string(parts[1]) + "'");
  const bool unary = f.op == FlowintOp::kIsSet || f.op == FlowintOp::kIsNotSet;
  if (unary != (parts.size() == 2)) {
    return Error(ErrorCode::kParse, unary ? "flowint: isset/isnotset take no value" : "flowint: operator needs a value");
  }
  if (!unary) {
    std::string_view v = parts[2];
    if (!v.empty() && v[0] >= '0' && v[0] <= '9') {
      VIGIL_TRY(uint64_t n, ParseUnsigned(v, 0xffffffffu));
      f.value = static_cast<uint32_t>(n);
    } else if (IsIdentifier(v)) {
      f.value_var = std::string(v);
    } else {
      return Error(ErrorCode::kParse, "flowint: invalid value '" + std::string(v) + "'");
    }
  }
  return f;
}

}  // namespace vigil::rules
