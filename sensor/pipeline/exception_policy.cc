#include "sensor/pipeline/exception_policy.h"

#include <iterator>

namespace vigil::sensor {

namespace {

// A parsed value: a policy, or auto (resolved by the caller's context).
struct Parsed {
  bool set = false;
  bool is_auto = false;
  ExceptionPolicy policy = ExceptionPolicy::kIgnore;
};

// Config spelling, indexed by ExceptionPolicy.
constexpr std::string_view kPolicyNames[] = {"ignore",      "pass-packet", "pass-flow", "bypass",
                                             "drop-packet", "drop-flow",   "reject"};

Result<Parsed> Parse(std::string_view key, std::string_view v) {
  Parsed p;
  if (v.empty()) return p;
  p.set = true;
  if (v == "auto") {
    p.is_auto = true;
    return p;
  }
  for (size_t i = 0; i < std::size(kPolicyNames); ++i) {
    if (v == kPolicyNames[i]) {
      p.policy = static_cast<ExceptionPolicy>(i);
      return p;
    }
  }
  return Error(ErrorCode::kInvalidArgument,
               std::string(key) + ": \"" + std::string(v) +
                   "\" is not an exception policy (drop-flow, pass-flow, bypass, reject, "
                   "drop-packet, pass-packet, ignore or auto)");
}

ExceptionPolicy PickAuto(bool ips, bool midstream, bool supports_flow) {
  if (!ips || midstream) return ExceptionPolicy::kIgnore;
  return supports_flow ? ExceptionPolicy::kDropFlow : ExceptionPolicy::kDropPacket;
}

// Flow actions on a packet-only target.
ExceptionPolicy PacketOnly(ExceptionPolicy p) {
  switch (p) {
    case ExceptionPolicy::kDropFlow: return ExceptionPolicy::kDropPacket;
    case ExceptionPolicy::kPassFlow: return ExceptionPolicy::kPassPacket;
    case ExceptionPolicy::kBypass: return ExceptionPolicy::kIgnore;
    default: return p;
  }
}

class Resolver {
 public:
  Resolver(const Parsed& master, bool ips) : master_(master), ips_(ips) {
    // In IDS mode the master switch cannot drop.
    if (master_.set && !master_.is_auto && !ips &&
        (master_.policy == ExceptionPolicy::kDropFlow ||
         master_.policy == ExceptionPolicy::kDropPacket)) {
      master_.policy = ExceptionPolicy::kIgnore;
    }
  }

  // Default for a target that was not set directly.
  ExceptionPolicy Default(bool supports_flow, bool midstream) const {
    ExceptionPolicy p = ExceptionPolicy::kIgnore;
    if (master_.set) {
      p = master_.is_auto ? PickAuto(ips_, midstream, supports_flow) : master_.policy;
      return supports_flow ? p : PacketOnly(p);
    }
    if (ips_ && !midstream) p = ExceptionPolicy::kDropFlow;
    return supports_flow ? p : PacketOnly(p);
  }

  Result<ExceptionPolicy> Target(std::string_view key, std::string_view value,
                                 bool supports_flow) const {
    VIGIL_TRY(Parsed v, Parse(key, value));
    if (!v.set) return Default(supports_flow, false);
    ExceptionPolicy p = v.is_auto ? PickAuto(ips_, false, supports_flow) : v.policy;
    return supports_flow ? p : PacketOnly(p);
  }

  Result<ExceptionPolicy> Midstream(std::string_view value, bool midstream) const {
    constexpr std::string_view kKey = "stream.midstream-policy";
    VIGIL_TRY(Parsed v, Parse(kKey, value));
    ExceptionPolicy p;
    if (!v.set) {
      p = Default(true, midstream);
    } else if (v.is_auto) {
      p = PickAuto(ips_, midstream, true);
    } else {
      p = v.policy;
      if (midstream && p != ExceptionPolicy::kIgnore && p != ExceptionPolicy::kPassFlow) {
        return Error(ErrorCode::kInvalidArgument,
                     std::string(kKey) + ": \"" + std::string(value) +
                         "\" is not valid when stream.midstream is on (pass-flow or ignore)");
      }
      if (!ips_ && p == ExceptionPolicy::kDropFlow) {
        return Error(ErrorCode::kInvalidArgument,
                     std::string(kKey) + ": drop-flow is not valid in IDS mode");
      }
    }
    if (p == ExceptionPolicy::kPassPacket || p == ExceptionPolicy::kDropPacket) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string(kKey) + ": packet actions are not valid for the midstream policy");
    }
    return p;
  }

 private:
  Parsed master_;
  bool ips_;
};

}  // namespace

std::string_view ExceptionPolicyName(ExceptionPolicy p) {
  const auto i = static_cast<size_t>(p);
  return i < std::size(kPolicyNames) ? kPolicyNames[i] : kPolicyNames[0];
}

std::string_view ExceptionPolicyJsonName(ExceptionPolicy p) {
  switch (p) {
    case ExceptionPolicy::kPassPacket: return "pass_packet";
    case ExceptionPolicy::kPassFlow: return "pass_flow";
    case ExceptionPolicy::kDropPacket: return "drop_packet";
    case ExceptionPolicy::kDropFlow: return "drop_flow";
    default: return ExceptionPolicyName(p);
  }
}

std::string_view ExceptionTargetName(ExceptionTarget t) {
  switch (t) {
    case ExceptionTarget::kMidstream: return "stream_midstream";
    case ExceptionTarget::kStreamMemcap: return "stream_memcap";
    case ExceptionTarget::kReassemblyMemcap: return "stream_reassembly_memcap";
    case ExceptionTarget::kFlowMemcap: return "flow_memcap";
    case ExceptionTarget::kDefragMemcap: return "defrag_memcap";
    case ExceptionTarget::kAppLayerError: return "app_layer_error";
    case ExceptionTarget::kCount: break;
  }
  return "none";
}

ExceptionPolicy ExceptionPolicies::For(ExceptionTarget t) const {
  switch (t) {
    case ExceptionTarget::kMidstream: return midstream;
    case ExceptionTarget::kStreamMemcap: return stream_memcap;
    case ExceptionTarget::kReassemblyMemcap: return reassembly_memcap;
    case ExceptionTarget::kFlowMemcap: return flow_memcap;
    case ExceptionTarget::kDefragMemcap: return defrag_memcap;
    case ExceptionTarget::kAppLayerError: return app_layer_error;
    case ExceptionTarget::kCount: break;
  }
  return ExceptionPolicy::kIgnore;
}

Result<ExceptionPolicies> ResolveExceptionPolicies(const ExceptionPolicySettings& s, bool ips,
                                                   bool midstream) {
  VIGIL_TRY(Parsed master, Parse("exception-policy", s.master));
  const Resolver r(master, ips);
  ExceptionPolicies out;
  VIGIL_TRY(out.midstream, r.Midstream(s.midstream, midstream));
  VIGIL_TRY(out.stream_memcap, r.Target("stream.memcap-policy", s.stream_memcap, true));
  VIGIL_TRY(out.reassembly_memcap,
            r.Target("stream.reassembly.memcap-policy", s.reassembly_memcap, true));
  VIGIL_TRY(out.flow_memcap, r.Target("flow.memcap-policy", s.flow_memcap, false));
  VIGIL_TRY(out.defrag_memcap, r.Target("defrag.memcap-policy", s.defrag_memcap, false));
  VIGIL_TRY(out.app_layer_error, r.Target("app-layer.error-policy", s.app_layer_error, true));
  return out;
}

ExceptionEffect EffectOf(ExceptionPolicy p, bool ips) {
  ExceptionEffect e;
  switch (p) {
    case ExceptionPolicy::kIgnore:
      break;
    case ExceptionPolicy::kReject:
      e.packet_no_detect = true;
      e.packet_drop = true;
      if (!ips) break;  // IDS: only the packet is rejected
      [[fallthrough]];
    case ExceptionPolicy::kDropFlow:
      e.flow_no_detect = e.flow_no_process = e.flow_drop = true;
      [[fallthrough]];
    case ExceptionPolicy::kDropPacket:
      e.packet_no_detect = true;
      e.packet_drop = true;
      break;
    case ExceptionPolicy::kBypass:
      e.flow_bypass = e.flow_no_process = true;
      [[fallthrough]];
    case ExceptionPolicy::kPassFlow:
      e.flow_pass = e.flow_no_detect = true;
      [[fallthrough]];
    case ExceptionPolicy::kPassPacket:
      e.packet_no_detect = true;
      break;
  }
  return e;
}

}  // namespace vigil::sensor
