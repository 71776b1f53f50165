// WorkerPlugin: the extension point of a worker thread — where the app-layer parsers and the
// detection engine will plug in, and where tests and tools observe the packet path.
//
// Each worker gets its own plugin instance from a WorkerPluginFactory (so a plugin keeps
// per-thread state — Hyperscan scratch, parser state in arrays indexed by Flow::index — with no
// locks) and an EventWriter to emit its events (alerts, http, dns, tls). Calls come on the
// worker thread, in packet order:
//
//   OnStreamPacket  the packet whose processing delivers the stream calls that follow (null
//                   when they come from a flow ending: timeout, eviction, end of run)
//   OnPacket        every decoded packet that passed checksum validation and TCP validation,
//                   after its flow was updated and its stream bytes delivered (per-packet
//                   detection: header rules, UDP payloads)
//   OnStreamData    reassembled TCP bytes of one direction, in order, each byte once
//   OnStreamGap     bytes of a direction known to be lost
//   OnStreamEnd     no more bytes in that direction (FIN, RST, depth, flow end)
//   OnFlowEnd       the flow ends (before its EVE flow event is written: set flow.alerted,
//                   app_proto... there); free per-flow state here
//   OnFinish        the worker stops, after every flow ended
//
//   struct Http : WorkerPlugin {
//     void OnStreamData(const Flow& f, StreamDirection d, std::span<const uint8_t> b,
//                       uint64_t off) override { parsers_[f.index].Feed(d, b); }
//   };
//   options.plugins = [](uint32_t worker, EventWriter& out) { return std::make_unique<Http>(out); };
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "sensor/decode/packet.h"
#include "sensor/flow/flow.h"
#include "sensor/output/event_writer.h"
#include "sensor/reassembly/stream_sink.h"
#include "sensor/reassembly/tcp_session.h"

namespace vigil::sensor {

// Per-flow stream accounting kept by the worker's StreamSink (index 0 = to server).
struct FlowStreamStats {
  uint64_t bytes[2] = {0, 0};      // bytes delivered in order
  uint64_t gaps[2] = {0, 0};       // holes skipped
  uint64_t gap_bytes[2] = {0, 0};  // bytes in those holes
};

// What the worker knows about the packet being handed to OnPacket.
struct PacketContext {
  Flow* flow = nullptr;      // null for packets without an IP layer
  bool to_server = true;     // direction within the flow
  bool flow_created = false;
  StreamVerdict stream;      // TCP: the session's verdict (kNotTracked etc.); zero otherwise
  bool no_detect = false;    // an exception policy passed this packet or its flow: no rules
};

class WorkerPlugin {
 public:
  virtual ~WorkerPlugin() = default;
  virtual void OnPacket(const Packet& p, const PacketContext& ctx) {
    (void)p;
    (void)ctx;
  }
  virtual void OnStreamPacket(const Packet* packet) { (void)packet; }
  virtual void OnStreamData(const Flow& flow, StreamDirection dir, std::span<const uint8_t> bytes,
                            uint64_t offset) {
    (void)flow;
    (void)dir;
    (void)bytes;
    (void)offset;
  }
  virtual void OnStreamGap(const Flow& flow, StreamDirection dir, uint64_t offset,
                           uint64_t length) {
    (void)flow;
    (void)dir;
    (void)offset;
    (void)length;
  }
  virtual void OnStreamEnd(const Flow& flow, StreamDirection dir, EndReason reason) {
    (void)flow;
    (void)dir;
    (void)reason;
  }
  // `flow` may be modified (alerted, app_proto) before the flow event is written.
  virtual void OnFlowEnd(Flow& flow, const FlowStreamStats& stream) {
    (void)flow;
    (void)stream;
  }
  virtual void OnFinish() {}
  // The EVE app_proto of an ended flow ("http", "failed", ...; "" = none), from Flow::app_proto
  // as this plugin set it in OnFlowEnd. The view must have static storage.
  virtual std::string_view FlowAppProto(const Flow& flow) const {
    (void)flow;
    return {};
  }
};

// Called once per worker, on the thread that builds the pipeline, before any packet. `events`
// is that worker's writer (valid for the plugin's lifetime). May return null (no plugin).
using WorkerPluginFactory =
    std::function<std::unique_ptr<WorkerPlugin>(uint32_t worker_id, EventWriter& events)>;

}  // namespace vigil::sensor
