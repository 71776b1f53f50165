// Flow: one bidirectional conversation, as the flow table keeps it and the EVE flow event reports
// it.
//
// Flows live in the FlowTable's preallocated pool and are addressed by `index` (0..capacity-1),
// stable for the flow's life, so other layers (TCP reassembly, app-layer, detection) keep their
// per-flow state in parallel arrays indexed the same way and free it from the FlowEndCallback.
// A Flow* stays valid until the flow ends; after that its slot is reused.
//
// Orientation: the client is the endpoint that started the flow (the sender of the first packet,
// or for TCP the sender of the SYN). "toserver" counts packets from the client.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "sensor/flow/flow_key.h"

namespace vigil::sensor {

enum class FlowState : uint8_t {
  kNew,          // seen one direction only (TCP: until the TCP tracker says otherwise)
  kEstablished,  // both directions (TCP: set by the TCP tracker after the handshake)
  kClosed,       // TCP closed (FIN/RST handled by the TCP tracker); waits for the closed timeout
};
inline constexpr int kFlowStateCount = 3;

// Timeout classes; each has its own timeouts per state.
enum class FlowProto : uint8_t { kTcp, kUdp, kIcmp, kOther };
inline constexpr int kFlowProtoCount = 4;

enum class FlowEndReason : uint8_t {
  kNone,                // still active
  kTimeout,             // idle past its state's timeout
  kTcpClosed,           // a closed TCP flow whose closed timeout elapsed
  kForced,              // FlowTable::End called by another layer
  kShutdown,            // FlowTable::Flush (end of an offline run, shutdown)
  kEmergencyEviction,   // the pool was full: the least recently seen flow made room
};

// What the sensor decided for the whole flow (Suricata's flow.action): pass, or drop (IPS).
enum class FlowAction : uint8_t { kNone, kPass, kDrop };

std::string_view FlowStateName(FlowState s);        // "new", "established", "closed"
std::string_view FlowEndReasonName(FlowEndReason r);  // "timeout", "tcp_closed", "forced", ...
FlowProto FlowProtoOf(uint8_t ip_proto);

struct Flow {
  FlowKey key;
  uint32_t index = 0;      // slot in the pool, for parallel per-flow arrays
  uint64_t hash = 0;       // key.Hash(): the symmetric hash the worker was chosen by
  uint64_t flow_id = 0;    // unique per table, non-zero, < 2^51 (exact as a JSON double)
  Timestamp start{};       // first packet
  Timestamp last_seen{};   // latest packet
  uint64_t pkts_toserver = 0;
  uint64_t pkts_toclient = 0;
  uint64_t bytes_toserver = 0;  // whole frames (wire length), as tshark's frame.len counts
  uint64_t bytes_toclient = 0;
  // Community ID ("1:" + base64 SHA-1, 30 chars, NUL-terminated) filled at creation by the
  // table's CommunityIdFn; all zero when none is configured.
  std::array<char, 32> community_id{};
  uint16_t app_proto = 0;  // app-layer protocol id, owned by the app-layer stage; 0 = unknown
  FlowState state = FlowState::kNew;
  FlowEndReason end_reason = FlowEndReason::kNone;
  FlowProto proto_class = FlowProto::kOther;
  bool client_is_a = true;  // the client is key endpoint a
  bool alerted = false;     // detection raised an alert on this flow
  // Set by an exception policy (sensor/pipeline/exception_policy.h) or a pass/drop decision:
  bool no_detect = false;   // rules no longer inspect this flow (it is still parsed and logged)
  bool no_process = false;  // nothing more is done with it but counting (bypass, drop-flow)
  FlowAction action = FlowAction::kNone;  // EVE flow.action
  bool bypassed = false;    // EVE flow.state "bypassed"
  uint8_t exception_targets = 0;  // bit per ExceptionTarget that applied a policy to the flow

  // Table bookkeeping (intrusive links by index, and when the flow was last queued on its
  // timeout list, which the table refreshes lazily rather than on every packet).
  int64_t queued_ns = 0;
  uint32_t hash_next = 0;
  uint32_t list_prev = 0;
  uint32_t list_next = 0;
  bool in_use = false;

  // Whether a packet whose source is endpoint a (FlowKey::FromPacket's src_is_a) goes to the
  // server.
  bool ToServer(bool src_is_a) const { return src_is_a == client_is_a; }
  IpAddress client() const { return client_is_a ? key.a() : key.b(); }
  IpAddress server() const { return client_is_a ? key.b() : key.a(); }
  uint16_t client_port() const { return client_is_a ? key.port_a : key.port_b; }
  uint16_t server_port() const { return client_is_a ? key.port_b : key.port_a; }
  std::string_view community_id_view() const {
    size_t n = 0;
    while (n < community_id.size() && community_id[n] != '\0') ++n;
    return std::string_view(community_id.data(), n);
  }
};

}  // namespace vigil::sensor
