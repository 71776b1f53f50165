#include "sensor/pipeline/worker.h"

#include <algorithm>

#include "core/community_id.h"
#include "sensor/pipeline/event_fields.h"

namespace vigil::sensor {

namespace {

constexpr uint32_t kSkippedPackets = 2 * kExceptionPoliciesPerTarget;  // last exception counter

FlowState FlowStateOf(FlowTcpState s) {
  switch (s) {
    case FlowTcpState::kNew: return FlowState::kNew;
    case FlowTcpState::kEstablished: return FlowState::kEstablished;
    case FlowTcpState::kClosed: return FlowState::kClosed;
  }
  return FlowState::kNew;
}

CommunityIdFn MakeCommunityIdFn(const SensorConfig& config) {
  if (!config.community_id) return {};
  const uint16_t seed = config.community_id_seed;
  return [seed](const Flow&, const Packet& p, std::array<char, 32>& out) {
    uint16_t sport = p.sport;
    uint16_t dport = p.dport;
    if (p.ip_proto == 1 || p.ip_proto == 58) {  // the spec hashes ICMP type and code
      sport = p.icmp.type;
      dport = p.icmp.code;
    }
    if (CommunityIdV1(p.src, p.dst, p.ip_proto, sport, dport, seed, out.data())) {
      out[kCommunityIdLength] = '\0';
    } else {
      out.fill('\0');
    }
  };
}

size_t SessionCapacity(const SensorConfig& config) {
  const size_t by_memcap = config.stream_session_memcap / sizeof(TcpSession);
  return std::min<size_t>(by_memcap, config.flow.Capacity());
}

}  // namespace

Worker::Worker(uint32_t id, const SensorConfig& config, const PipelineCounters& ids,
               CounterBlock* block, EventSink& sink, const WorkerPluginFactory& plugins)
    : id_(id),
      flow_events_(config.eve_types.flow),
      ips_(config.ips),
      policies_(config.exception_policies),
      ids_(ids),
      block_(block),
      events_(sink,
              EventWriterConfig{.sensor_id = config.sensor_id,
                                .province = config.province,
                                .batch_bytes = config.eve_batch_bytes},
              ids.output, block),
      anomalies_(events_, ids, block, config.eve_anomaly),
      plugin_(plugins ? plugins(id, events_) : nullptr),
      stream_memory_(config.stream),
      stream_ctx_{&config.stream, &stream_memory_, ReassemblyCounters{ids.stream.group, ids.stream.events, block}},
      table_(
          [&] {
            FlowTableConfig fc = config.flow;
            fc.worker_id = id;
            return fc;
          }(),
          ids.flow, block, [this](Flow& f) { OnFlowEnd(f); }, MakeCommunityIdFn(config)),
      stream_sink_(table_.capacity(), anomalies_, plugin_.get()),
      sessions_(SessionCapacity(config), [this](TcpSession& s) { s.Bind(stream_ctx_); }) {}

Worker::~Worker() = default;

TcpSession* Worker::SessionFor(const Flow& f) {
  if (f.index >= sessions_.capacity()) return nullptr;
  return &sessions_.At(f.index);
}

void Worker::Handle(Packet& p) {
  if (p.is_fragment) {
    // An IP fragment (PacketIngest reported its anomalies and defragmented it): inspected
    // without a flow, as Suricata does, so decode-event and header-only rules see it.
    if (plugin_ && p.decoded && !p.checksum_bad) plugin_->OnPacket(p, PacketContext{});
    return;
  }
  ids_.Add(block_, PipelineCounter::kPackets);
  ids_.Add(block_, PipelineCounter::kBytes, p.wirelen != 0 ? p.wirelen : p.caplen);

  FlowRef ref;
  if (p.decoded) ref = table_.Process(p);
  anomalies_.Decode(p, ref.flow);
  if (ref.flow == nullptr) {
    ids_.Add(block_, PipelineCounter::kNonIp);
    if (plugin_ && !p.checksum_bad) plugin_->OnPacket(p, PacketContext{});
    return;
  }
  if (p.checksum_bad) {
    // Counted in its flow (tshark and Suricata count it too), but its bytes are not trusted:
    // not reassembled, not inspected.
    ids_.Add(block_, PipelineCounter::kChecksumSkipped);
    return;
  }
  if (ref.flow->no_process) {  // bypassed or dropped by an exception policy
    block_->Add(ids_.exception_policy[kSkippedPackets]);
    return;
  }
  StreamVerdict verdict;
  bool packet_no_detect = false;
  if (p.is_tcp()) {
    verdict = HandleTcp(p, ref, &packet_no_detect);
    if (verdict.has(stream_verdict::kInvalid)) return;
    if (ref.flow != nullptr && ref.flow->no_process) return;
  }
  if (plugin_) {
    PacketContext ctx{ref.flow, ref.to_server, ref.created, verdict,
                      packet_no_detect || (ref.flow != nullptr && ref.flow->no_detect)};
    plugin_->OnPacket(p, ctx);
  }
}

bool Worker::ApplyException(ExceptionTarget target, Flow& f, bool* packet_no_detect) {
  const ExceptionPolicy policy = policies_.For(target);
  if (policy == ExceptionPolicy::kIgnore) return false;
  const uint32_t first = target == ExceptionTarget::kMidstream ? 0 : kExceptionPoliciesPerTarget;
  block_->Add(ids_.exception_policy[first + static_cast<uint32_t>(policy) - 1]);
  f.exception_targets |= static_cast<uint8_t>(1u << static_cast<unsigned>(target));
  const ExceptionEffect e = EffectOf(policy, ips_);
  if (e.packet_no_detect) *packet_no_detect = true;
  if (e.flow_no_detect) f.no_detect = true;
  if (e.flow_no_process) f.no_process = true;
  if (e.flow_bypass) f.bypassed = true;
  if (e.flow_drop) {
    f.action = FlowAction::kDrop;
  } else if (e.flow_pass && f.action == FlowAction::kNone) {
    f.action = FlowAction::kPass;
  }
  return f.no_process;
}

StreamVerdict Worker::HandleTcp(Packet& p, FlowRef& ref, bool* packet_no_detect) {
  TcpSession* s = SessionFor(*ref.flow);
  if (s == nullptr) {
    ids_.Add(block_, PipelineCounter::kStreamMemcapUntracked);
    ApplyException(ExceptionTarget::kStreamMemcap, *ref.flow, packet_no_detect);
    return StreamVerdict{stream_verdict::kNotTracked};
  }
  // A packet with ACK (not RST) on a flow with no session yet: its handshake was not seen. The
  // midstream policy applies whether or not midstream pick-up is on, as in Suricata.
  const uint8_t tf = p.tcp.flags;
  if (s->state() == TcpState::kNone && (tf & tcp_flag::kAck) != 0 && (tf & tcp_flag::kRst) == 0 &&
      ApplyException(ExceptionTarget::kMidstream, *ref.flow, packet_no_detect)) {
    return StreamVerdict{stream_verdict::kNotTracked};
  }
  auto dir = ref.to_server ? StreamDirection::kToServer : StreamDirection::kToClient;
  stream_sink_.Bind(ref.flow, &p);
  StreamVerdict v = s->OnPacket(p, dir, stream_sink_);
  if (v.has(stream_verdict::kReuse)) {
    // Port reuse: the SYN belongs to a new connection. Take it out of the old flow's counts, end
    // the old flow (its session is flushed and reset in OnFlowEnd), then let the table start a
    // new flow with it and feed the fresh session.
    Flow& old = *ref.flow;
    const uint64_t bytes = p.wirelen != 0 ? p.wirelen : p.caplen;
    if (ref.to_server) {
      --old.pkts_toserver;
      old.bytes_toserver -= bytes;
    } else {
      --old.pkts_toclient;
      old.bytes_toclient -= bytes;
    }
    ids_.Add(block_, PipelineCounter::kTcpReuse);
    table_.End(old, FlowEndReason::kForced);
    ref = table_.Process(p);
    if (ref.flow == nullptr) return v;
    s = SessionFor(*ref.flow);
    if (s == nullptr) {
      ids_.Add(block_, PipelineCounter::kStreamMemcapUntracked);
      return StreamVerdict{stream_verdict::kNotTracked};
    }
    dir = ref.to_server ? StreamDirection::kToServer : StreamDirection::kToClient;
    stream_sink_.Bind(ref.flow, &p);
    v = s->OnPacket(p, dir, stream_sink_);
  }
  const FlowState want = FlowStateOf(s->flow_state());
  if (want != ref.flow->state && (want != FlowState::kNew)) table_.SetState(*ref.flow, want);
  return v;
}

void Worker::OnFlowEnd(Flow& f) {
  if (f.key.proto == 6 && sessions_.IsConstructed(f.index)) {
    TcpSession& s = sessions_[f.index];
    stream_sink_.Bind(&f, nullptr);
    s.Flush(stream_sink_);
    s.Reset();
  }
  if (plugin_) plugin_->OnFlowEnd(f, stream_sink_.stats(f.index));
  stream_sink_.ResetStats(f.index);
  stream_sink_.Bind(nullptr, nullptr);
  WriteFlowEvent(f);
}

void Worker::WriteFlowEvent(const Flow& f) {
  if (!flow_events_) return;
  FlowInfo info = MakeFlowInfo(f);
  Event ev;
  ev.type = EventType::kFlow;
  FillFlowEnvelope(f, ev.envelope);
  if (plugin_) ev.envelope.app_proto = plugin_->FlowAppProto(f);
  ev.flow = &info;
  events_.Write(ev);
  ids_.Add(block_, PipelineCounter::kFlowEvents);
}

void Worker::Tick(Timestamp now) { table_.Sweep(now); }

void Worker::Finish(Timestamp end_time) {
  if (end_time.ns != 0) table_.Sweep(end_time);
  table_.Flush();
  if (plugin_) plugin_->OnFinish();
  (void)events_.Flush();
}

}  // namespace vigil::sensor
