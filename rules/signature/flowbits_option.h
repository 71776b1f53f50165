// flowbits (and xbits): named boolean marks on a flow that let one rule depend on another.
//
//   flowbits:set,ET.http.binary;          flowbits:isset,a|b;   (a or b)
//   flowbits:isnotset,a&b;                flowbits:noalert;
//
// Commands: set, unset, toggle, isset, isnotset, noalert (no name). A name group joins names with
// '|' (any of them; isset/isnotset only) or '&' (all of them); mixing both is an error. Names
// are non-empty and free of spaces, ',', '|' and '&'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::rules {

enum class FlowbitsCommand : uint8_t { kSet, kUnset, kToggle, kIsSet, kIsNotSet, kNoAlert };
enum class FlowbitsJoin : uint8_t { kSingle, kOr, kAnd };

struct FlowbitsOption {
  FlowbitsCommand command = FlowbitsCommand::kSet;
  FlowbitsJoin join = FlowbitsJoin::kSingle;
  std::vector<std::string> names;  // empty for noalert
  bool is_check() const { return command == FlowbitsCommand::kIsSet || command == FlowbitsCommand::kIsNotSet; }
};

Result<FlowbitsOption> ParseFlowbits(std::string_view value);

// xbits: like flowbits but kept per host or host pair, with an optional expiry.
//   xbits:set,ET.pattern,track ip_src,expire 15;   xbits:isset,a,track ip_pair;   xbits:noalert;
enum class XbitsTrack : uint8_t { kIpSrc, kIpDst, kIpPair, kTx };

struct XbitsOption {
  FlowbitsCommand command = FlowbitsCommand::kSet;
  std::string name;  // empty for noalert
  XbitsTrack track = XbitsTrack::kIpSrc;
  uint32_t expire_seconds = 0;  // 0: Suricata's default (30 s) applies
};

Result<XbitsOption> ParseXbits(std::string_view value);

// flowint: an integer counter on the flow, modified or compared.
//   flowint:count,+,1;   flowint:count,>,5;   flowint:count,isset;   flowint:a,=,b;
enum class FlowintOp : uint8_t { kAdd, kSub, kAssign, kEq, kNe, kLt, kGt, kLe, kGe, kIsSet, kIsNotSet };

struct FlowintOption {
  std::string name;
  FlowintOp op = FlowintOp::kIsSet;
  uint32_t value = 0;
  std::string value_var;  // another flowint variable instead of a number
  bool is_check() const { return op != FlowintOp::kAdd && op != FlowintOp::kSub && op != FlowintOp::kAssign; }
};

Result<FlowintOption> ParseFlowint(std::string_view value);

}  // namespace vigil::rules
