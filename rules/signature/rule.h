// Rule: the parsed form (AST) of one Suricata-syntax signature, the input of the detection
// engine.
//
//   alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"x"; flow:established,to_server;
//       http.method; content:"POST"; http.uri; content:"/gate.php"; fast_pattern; sid:1;)
//
// becomes a RuleHeader (action, protocol name, compiled address/port sets, direction), RuleMeta
// (msg, sid, ...), and one BufferMatches list per inspected buffer — here http.method with one
// content and http.uri with one content — holding the payload keywords in rule order with their
// modifiers already attached. Legacy spellings (content:"x"; http_uri; / pcre /U / uricontent)
// are folded into the same lists, so the engine picks fast patterns per buffer from one place.
// Everything else is typed: flow, flowbits, threshold, header checks, app-layer checks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rules/signature/address_set.h"
#include "rules/signature/app_options.h"
#include "rules/signature/byte_options.h"
#include "rules/signature/content_option.h"
#include "rules/signature/dataset_option.h"
#include "rules/signature/flow_option.h"
#include "rules/signature/flowbits_option.h"
#include "rules/signature/header_options.h"
#include "rules/signature/integer_match.h"
#include "rules/signature/meta_options.h"
#include "rules/signature/pcre_option.h"
#include "rules/signature/port_set.h"
#include "rules/signature/size_options.h"
#include "rules/signature/sticky_buffer.h"
#include "rules/signature/tag_option.h"
#include "rules/signature/threshold_option.h"
#include "rules/signature/transform_option.h"

namespace vigil::rules {

enum class Action : uint8_t { kAlert, kPass, kDrop, kReject, kRejectSrc, kRejectDst, kRejectBoth, kConfig };
enum class Direction : uint8_t { kForward, kBidirectional };  // "->" and "<>"

std::string_view ActionName(Action a);

struct RuleHeader {
  Action action = Action::kAlert;
  std::string protocol;  // lower-cased as written: ip, tcp, udp, icmp, http, dns, tls, tcp-pkt...
  Direction direction = Direction::kForward;
  // Compiled expressions, shared between rules that spell them the same way.
  std::shared_ptr<const AddressSet> src;
  std::shared_ptr<const PortSet> src_ports;
  std::shared_ptr<const AddressSet> dst;
  std::shared_ptr<const PortSet> dst_ports;
  // The expressions as written, for grouping, display and round trips.
  std::string src_text, src_ports_text, dst_text, dst_ports_text;
};

// One payload keyword in a buffer's list.
using PayloadMatch = std::variant<ContentMatch, PcreMatch, ByteTestMatch, ByteJumpMatch,
                                  ByteExtractMatch, IsDataAtMatch, BsizeMatch, Base64DecodeMatch,
                                  DatasetMatch>;

// The payload keywords that inspect one buffer (after its transforms), in rule order. Relative
// keywords (distance, within, /R, relative) refer to the previous match in this same list.
struct BufferMatches {
  BufferId buffer = BufferId::kPacket;
  std::vector<Transform> transforms;
  std::vector<PayloadMatch> matches;

  template <typename F>
  void ForEachContent(F&& f) const {
    for (const PayloadMatch& m : matches) {
      if (const auto* c = std::get_if<ContentMatch>(&m)) f(*c);
    }
  }
};

struct Rule {
  RuleHeader header;
  RuleMeta meta;
  std::vector<BufferMatches> buffers;  // non-empty lists only, in order of first use
  std::optional<FlowOption> flow;
  std::vector<FlowbitsOption> flowbits;
  std::vector<XbitsOption> xbits;
  std::vector<FlowintOption> flowints;
  std::vector<TagOption> tags;
  std::optional<ThresholdOption> threshold;
  std::optional<ThresholdOption> detection_filter;
  bool noalert = false;  // `noalert;`, `flowbits:noalert;` or `xbits:noalert;`
  std::optional<IntegerMatch> dsize;
  std::optional<UrilenOption> urilen;
  HeaderOptions header_checks;
  AppOptions app;
  std::vector<std::string> byte_extract_vars;  // variables this rule defines, in order

  // Where the rule came from (set by the loader): index into RuleSet::files and 1-based line.
  uint32_t file_index = 0;
  uint32_t line = 0;

  const BufferMatches* FindBuffer(BufferId id) const {
    for (const BufferMatches& b : buffers) {
      if (b.buffer == id) return &b;
    }
    return nullptr;
  }
  size_t ContentCount() const;
  // The content marked fast_pattern (or fast_pattern:only / partial), if any.
  const ContentMatch* ExplicitFastPattern(BufferId* buffer = nullptr) const;
};

}  // namespace vigil::rules
