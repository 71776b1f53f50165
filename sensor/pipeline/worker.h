// Worker: one thread's share of the packet path after decoding — flow table, TCP sessions and
// reassembly, anomaly and flow events, and the plugin (app-layer / detection) hook. It owns
// every flow whose symmetric hash maps to it, so nothing in it is shared or locked.
//
//   Worker w(0, config, ids, registry.NewBlock("worker-0"), sink, plugin_factory);
//   for each decoded packet of this worker:  w.Handle(pkt);
//   on an idle live link, now and then:     w.Tick(wall_now);
//   at the end:                             w.Finish(last_packet_time);   // flows end, events flushed
//
// Per packet: the flow is found or created and counts the packet (bad checksums included, as
// tshark counts them); decode anomalies become events; a packet with a bad checksum stops there
// (not reassembled, not inspected); a TCP packet goes to its flow's TcpSession, whose verdict
// updates the flow's state; then the plugin sees the packet. A new SYN on a closed session (port
// reuse) ends the old flow and starts a new one with that SYN, as Suricata does. Exception
// policies (exception_policy.h) apply where their condition arises: the midstream policy on the
// first packets of a TCP flow whose handshake was not seen (an ACK without a session), the
// stream memcap policy on a TCP flow left without a session; a bypassed or dropped flow is then
// only counted, a passed one is reassembled and parsed but not inspected (Flow::no_detect).
#pragma once

#include <cstdint>
#include <memory>

#include "core/counters.h"
#include "sensor/flow/flow_table.h"
#include "sensor/output/event_sink.h"
#include "sensor/output/event_writer.h"
#include "sensor/pipeline/anomaly_reporter.h"
#include "sensor/pipeline/exception_policy.h"
#include "sensor/pipeline/flow_stream_sink.h"
#include "sensor/pipeline/lazy_array.h"
#include "sensor/pipeline/pipeline_counters.h"
#include "sensor/pipeline/sensor_config.h"
#include "sensor/pipeline/worker_plugin.h"
#include "sensor/reassembly/reassembly_memory.h"
#include "sensor/reassembly/stream_context.h"
#include "sensor/reassembly/tcp_session.h"

namespace vigil::sensor {

class Worker {
 public:
  // `config`, `ids`, `sink` must outlive the worker; `block` is the worker thread's.
  Worker(uint32_t id, const SensorConfig& config, const PipelineCounters& ids,
         CounterBlock* block, EventSink& sink, const WorkerPluginFactory& plugins);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // One decoded packet (not a fragment: PacketIngest keeps those).
  void Handle(Packet& p);
  // Lets packet time advance to `now` without a packet: ends flows idle past their timeout.
  void Tick(Timestamp now);
  // End of the run: flows expired at `end_time` end as timeouts, every other flow as shutdown;
  // the plugin finishes and the events are flushed.
  void Finish(Timestamp end_time);
  // Hands queued events to the sink (idle live links, so events do not wait for a full batch).
  void FlushEvents() { (void)events_.Flush(); }

  uint32_t id() const { return id_; }
  EventWriter& events() { return events_; }
  const FlowTable& flows() const { return table_; }

 private:
  StreamVerdict HandleTcp(Packet& p, FlowRef& ref, bool* packet_no_detect);
  // Applies the policy of `target` to the flow (and says whether this packet escapes detection);
  // returns whether the flow is no longer processed (bypass, drop-flow).
  bool ApplyException(ExceptionTarget target, Flow& f, bool* packet_no_detect);
  void OnFlowEnd(Flow& f);
  void WriteFlowEvent(const Flow& f);
  TcpSession* SessionFor(const Flow& f);

  const uint32_t id_;
  const bool flow_events_;  // outputs.eve.flow.enabled
  const bool ips_;          // simulate-ips
  const ExceptionPolicies policies_;
  const PipelineCounters& ids_;
  CounterBlock* block_;
  EventWriter events_;
  AnomalyReporter anomalies_;
  std::unique_ptr<WorkerPlugin> plugin_;
  ReassemblyMemory stream_memory_;
  StreamContext stream_ctx_;
  FlowTable table_;
  FlowStreamSink stream_sink_;
  LazyArray<TcpSession> sessions_;  // parallel to the flow table, up to the stream memcap
};

}  // namespace vigil::sensor
