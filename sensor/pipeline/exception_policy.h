// Exception policies: what the sensor does with a packet or a flow when it reaches a condition
// where it would lose visibility (a TCP session picked up midstream, a memcap hit), with
// Suricata's configuration keys and semantics.
//
//   exception-policy: auto            # master switch, the default of every policy below
//   stream.midstream-policy: pass-flow
//   stream.memcap-policy / stream.reassembly.memcap-policy / flow.memcap-policy /
//   defrag.memcap-policy / app-layer.error-policy
//
//   ExceptionPolicySettings s;  s.master = "auto";  s.midstream = "pass-flow";
//   VIGIL_TRY(ExceptionPolicies p, ResolveExceptionPolicies(s, /*ips=*/true, /*midstream=*/false));
//   p.midstream == ExceptionPolicy::kPassFlow
//
// Resolution (Suricata 7/8): a policy set directly wins; otherwise the master switch applies
// when it is set; otherwise IPS mode drops the flow (midstream: only when midstream pick-up is
// off) and IDS mode ignores. `auto` means drop-flow in IPS mode (drop-packet for packet-only
// policies; ignore for the midstream policy when midstream pick-up is on) and ignore in IDS mode.
// In IDS mode the master switch's drop-flow / drop-packet become ignore. Packet-only policies
// (flow.memcap, defrag.memcap) turn flow actions into packet ones (pass-flow → pass-packet,
// drop-flow → drop-packet, bypass → ignore). Invalid combinations are configuration errors, as
// Suricata refuses to start: a midstream-policy other than ignore / pass-flow with midstream
// pick-up on, drop-flow as the midstream policy in IDS mode, packet actions as midstream policy.
//
// Effects (applied by the worker): pass-flow — the flow is still reassembled, parsed and
// logged, never inspected by rules; bypass — nothing more is done with the flow but counting
// (flow state "bypassed"); drop-flow — as bypass, the flow's action is drop (IPS: its packets are
// blocked); reject — drop-flow plus a reset in IPS mode, in IDS mode only the packet is rejected
// (not inspected); pass-packet / drop-packet — this packet is not inspected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::sensor {

enum class ExceptionPolicy : uint8_t {
  kIgnore,
  kPassPacket,
  kPassFlow,
  kBypass,
  kDropPacket,
  kDropFlow,
  kReject,
};

// "ignore", "pass-packet", "pass-flow", "bypass", "drop-packet", "drop-flow", "reject".
std::string_view ExceptionPolicyName(ExceptionPolicy p);
// The EVE / stats spelling: "drop_flow", "pass_packet", ...
std::string_view ExceptionPolicyJsonName(ExceptionPolicy p);

// Which condition triggered a policy (Suricata's EVE exception_policy targets).
enum class ExceptionTarget : uint8_t {
  kMidstream,         // "stream_midstream"
  kStreamMemcap,      // "stream_memcap"
  kReassemblyMemcap,  // "stream_reassembly_memcap"
  kFlowMemcap,        // "flow_memcap"
  kDefragMemcap,      // "defrag_memcap"
  kAppLayerError,     // "app_layer_error"
  kCount,
};
std::string_view ExceptionTargetName(ExceptionTarget t);

// The raw configuration values ("" = not set), as read from the sensor's YAML / --set.
struct ExceptionPolicySettings {
  std::string master;             // exception-policy
  std::string midstream;          // stream.midstream-policy
  std::string stream_memcap;      // stream.memcap-policy
  std::string reassembly_memcap;  // stream.reassembly.memcap-policy
  std::string flow_memcap;        // flow.memcap-policy
  std::string defrag_memcap;      // defrag.memcap-policy
  std::string app_layer_error;    // app-layer.error-policy
};

// The resolved policy of every target.
struct ExceptionPolicies {
  ExceptionPolicy midstream = ExceptionPolicy::kIgnore;
  ExceptionPolicy stream_memcap = ExceptionPolicy::kIgnore;
  ExceptionPolicy reassembly_memcap = ExceptionPolicy::kIgnore;
  ExceptionPolicy flow_memcap = ExceptionPolicy::kIgnore;
  ExceptionPolicy defrag_memcap = ExceptionPolicy::kIgnore;
  ExceptionPolicy app_layer_error = ExceptionPolicy::kIgnore;

  ExceptionPolicy For(ExceptionTarget t) const;
};

// `ips`: the engine runs as an IPS (simulate-ips); `midstream`: stream.midstream.
[[nodiscard]] Result<ExceptionPolicies> ResolveExceptionPolicies(const ExceptionPolicySettings& s,
                                                                 bool ips, bool midstream);

// What a policy does to the flow and to the packet that triggered it, in the given mode.
struct ExceptionEffect {
  bool flow_no_detect = false;   // no rule inspection for the rest of the flow (pass/drop/bypass)
  bool flow_no_process = false;  // no reassembly, app-layer or detection for the rest of the flow
  bool flow_pass = false;        // flow action "pass"
  bool flow_drop = false;        // flow action "drop"
  bool flow_bypass = false;      // flow state "bypassed"
  bool packet_no_detect = false; // this packet is not inspected by rules
  bool packet_drop = false;      // IPS: this packet is blocked (reject: and answered with a reset)
};
ExceptionEffect EffectOf(ExceptionPolicy p, bool ips);

}  // namespace vigil::sensor
