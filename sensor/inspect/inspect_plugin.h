// InspectPlugin: the worker plugin that connects the app-layer parsers and the detection engine
// to the packet path (sensor/pipeline's WorkerPlugin), one instance per worker thread.
//
// Per flow (state in arrays indexed by Flow::index, reset in OnFlowEnd):
//   TCP stream bytes  → protocol detection (content, server port as hint) → HTTP / TLS / DNS
//                       parser; and, with rules, kStream inspection over the direction's
//                       StreamWindow (payload rules see data across segment boundaries; the
//                       alert's pcap_cnt is the packet whose data completed the match)
//   UDP payloads      → detection on the first datagram → DNS parser
//   every packet      → one kPacket inspection: header rules, UDP/ICMP payloads, no_stream and
//                       dsize rules, plus the app-layer buffers of the transaction this packet
//                       advanced (http.* from the HttpTransaction at each stage: request
//                       headers, request body, response headers, response body; dns.query per
//                       question; tls.sni / ja3 / tls.cert_* as the handshake progresses); a
//                       second transaction advanced by the same packet gets its own call
// Events: alert (with the transaction's http/dns/tls object), http (when a transaction
// completes), dns (per message), tls (when the handshake is as far as it goes in clear),
// app-layer anomalies; flow.alerted and app_proto are set before the flow event is written.
//
//   auto ctx = LoadInspectContext(config, sources);
//   options.plugins = MakeInspectPluginFactory(*ctx);
//
// Hot reload (sensor/reload): built on an InspectContextSlot, the plugin checks the slot's
// generation once per packet (one relaxed load, at the top of OnPacket: a packet boundary) and,
// when a new context was published, carries every live flow's detection state over by name
// (DetectStateRemap), starts a new DetectThread on the new engine and retires the old context.
// App-layer parsers and stream windows are untouched: the app-layer config is the first
// context's, copied into the plugin (parsers keep references into it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sensor/app/app_counters.h"
#include "sensor/detect/detect_thread.h"
#include "sensor/inspect/app_buffers.h"
#include "sensor/inspect/app_event_list.h"
#include "sensor/inspect/flow_inspect_state.h"
#include "sensor/inspect/inspect_context.h"
#include "sensor/inspect/inspect_events.h"
#include "sensor/inspect/mqtt_buffers.h"
#include "sensor/intel/intel_matcher.h"
#include "sensor/pipeline/lazy_array.h"
#include "sensor/pipeline/worker_plugin.h"
#include "sensor/reload/published.h"

namespace vigil::sensor {

// Per-worker totals (tests, summaries).
struct InspectStats {
  uint64_t packet_inspections = 0;
  uint64_t stream_inspections = 0;
  uint64_t app_inspections = 0;
  uint64_t alerts = 0;
  uint64_t tx_duplicates = 0;  // transaction-scoped alerts not repeated
  uint64_t http_tx = 0;
  uint64_t dns_messages = 0;
  uint64_t tls_sessions = 0;
};

// The live InspectContext, replaced by a rule reload (sensor/reload's RuleReloader).
using InspectContextSlot = Published<InspectContext>;

class InspectPlugin final : public WorkerPlugin {
 public:
  // `events` must outlive the plugin.
  InspectPlugin(std::shared_ptr<const InspectContext> ctx, EventWriter& events);
  // Follows the slot's live context (hot reload); `slot` must not be null.
  InspectPlugin(std::shared_ptr<InspectContextSlot> slot, EventWriter& events);
  ~InspectPlugin() override;

  void OnStreamPacket(const Packet* packet) override {
    stream_packet_ = packet;
    packet_no_detect_ = false;
    drop_flow_ = false;
    packet_chunks_ = 0;
    packet_stream_scan_ = 0;
  }
  void OnPacket(const Packet& p, const PacketContext& ctx) override;
  void OnStreamData(const Flow& flow, StreamDirection dir, std::span<const uint8_t> bytes,
                    uint64_t offset) override;
  void OnStreamGap(const Flow& flow, StreamDirection dir, uint64_t offset,
                   uint64_t length) override;
  void OnStreamEnd(const Flow& flow, StreamDirection dir, EndReason reason) override;
  void OnFlowEnd(Flow& flow, const FlowStreamStats& stream) override;
  std::string_view FlowAppProto(const Flow& flow) const override;

  const InspectStats& stats() const { return stats_; }
  // Indicator matching on this worker's flows and protocol events (sensor/intel; optional).
  void AttachIntel(std::unique_ptr<IntelMatcher> m) { intel_ = std::move(m); }
  // Reloads this worker has taken up (tests).
  uint64_t reloads_adopted() const { return reloads_adopted_; }

 private:
  // At a packet boundary: takes the slot's newer context (see the header comment).
  void AdoptLiveContext();
  // Appends this worker's per-rule profile to ctx_->profile_file (detect.profiling-file), if
  // set: at exit and before a reload replaces the engine the profile's indices belong to.
  void FlushRuleProfile();
  FlowInspectState& State(const Flow& f);
  AppParser* StartParser(FlowInspectState& s, AppProto p);
  // A packet for flow-level inspections: `real` when it travels in direction `to_server`,
  // else one built from the flow (addresses, ports, time; pcap_cnt of `real` or 0).
  const Packet& PacketFor(const Flow& f, bool to_server, const Packet* real);
  void FeedStream(FlowInspectState& s, const Flow& f, StreamDirection dir,
                  std::span<const uint8_t> bytes);
  void InspectStream(FlowInspectState& s, const Flow& f, StreamDirection dir,
                     std::span<const uint8_t> bytes);
  // Runs one inspection and writes its alerts. `extra`: not the packet's first inspection
  // (alerts of rules already raised for this packet are dropped).
  void Run(InspectInput& in, const Flow* flow, FlowInspectState* s, const AppRef& app,
           uint64_t tx_key, bool extra);
  // App-layer work after a packet: inspections of what advanced, then events.
  void AppLayer(FlowInspectState& s, const Flow& f, const Packet& p, bool to_server,
                bool tcp_stream, bool* packet_inspected);
  void HttpUpdates(FlowInspectState& s, const Flow& f, const Packet& p, bool to_server,
                   bool tcp_stream, bool* packet_inspected);
  void Anomalies(FlowInspectState& s, const Flow& f, const Packet& p);
  // MQTT (inspect_plugin_mqtt.cc): inspects every transaction the packet changed (once per
  // subscribe/unsubscribe topic), then logs the complete ones; MqttFlush logs the rest at the
  // end of the flow.
  void MqttUpdates(FlowInspectState& s, const Flow& f, const Packet& p, bool to_server,
                   bool tcp_stream, bool* inspected);
  void MqttFlush(FlowInspectState& s, const Flow& f, const Packet& p);
  // The app layer's last work for a flow (both directions ended, or the flow ends): remaining
  // transaction stages inspected, everything logged, the parser returned to the pool.
  void FinishApp(FlowInspectState& s, const Flow& flow, const Packet* real);
  InspectInput BaseInput(const Packet& p, FlowInspectState* s, bool to_server, bool tcp_stream);

  std::shared_ptr<const InspectContext> ctx_;
  std::shared_ptr<InspectContextSlot> slot_;  // null: ctx_ never changes
  uint64_t slot_gen_ = 0;
  uint64_t reloads_adopted_ = 0;
  AppLayerConfig app_;                        // the first context's (parsers point into it)
  EventWriter& out_;
  std::optional<InspectEvents> events_;       // re-made on a reload (it points into ctx_)
  std::optional<DetectThread> detect_;
  std::unique_ptr<IntelMatcher> intel_;  // null: no indicator matching
  LazyArray<FlowInspectState> flows_;
  // Parsers of ended flows, reset, for the next flows (their buffers keep their capacity).
  std::vector<std::unique_ptr<HttpParser>> http_pool_;
  std::vector<std::unique_ptr<TlsParser>> tls_pool_;
  std::vector<std::unique_ptr<DnsParser>> dns_pool_;
  std::vector<std::unique_ptr<MqttParser>> mqtt_pool_;
  MqttFacts mqtt_facts_;
  const Packet* stream_packet_ = nullptr;
  // Stream chunks the current packet's processing delivered, and the detection stream scan id
  // of the only one when its bytes are exactly the packet's payload (else 0): the packet call
  // then reuses that scan (InspectInput::stream_scan_id).
  int packet_chunks_ = 0;
  uint64_t packet_stream_scan_ = 0;
  bool packet_stream_to_server_ = true;
  bool packet_no_detect_ = false;      // PacketContext::no_detect of the current packet
  bool drop_flow_ = false;             // IPS: a drop/reject rule matched the current packet
  Packet pseudo_;                      // flow-level packet (see PacketFor)
  BufferSet buffers_;
  AlertQueue alerts_;
  HttpStatusText status_text_;
  TlsItems tls_items_;
  std::vector<uint32_t> packet_alerted_;  // rule indices alerted for the current packet
  AppEventList app_events_;               // the current inspection's app-layer events
  InspectStats stats_;
};

// A WorkerPluginFactory making one InspectPlugin per worker.
WorkerPluginFactory MakeInspectPluginFactory(std::shared_ptr<const InspectContext> ctx);
// Wraps an inspect factory so each worker's InspectPlugin also matches `intel`'s indicators
// (an IntelMatcher with its own counter block). Null `intel`: the factory unchanged.
WorkerPluginFactory WithIntel(WorkerPluginFactory inspect, IntelStore* intel);
// Plugins that follow the slot's live context (hot reload).
WorkerPluginFactory MakeInspectPluginFactory(std::shared_ptr<InspectContextSlot> slot);

}  // namespace vigil::sensor
