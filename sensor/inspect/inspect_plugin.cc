#include "sensor/inspect/inspect_plugin.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "sensor/detect/rule_profile_report.h"

#include "sensor/reload/detect_state_remap.h"

namespace vigil::sensor {

namespace {

Direction AppDir(StreamDirection d) {
  return d == StreamDirection::kToServer ? Direction::kToServer : Direction::kToClient;
}

constexpr uint16_t kDnsPort = 53;

int Idx(StreamDirection d) { return d == StreamDirection::kToServer ? 0 : 1; }

// Transaction key for per-transaction alert de-duplication: protocol in the top byte.
uint64_t TxKey(AppProto p, uint64_t id) {
  return (static_cast<uint64_t>(p) << 56) | (id & ((uint64_t{1} << 56) - 1));
}

// A rule that only looks at the IP header's addresses, or names an app-layer protocol.
bool IpOnlyLike(const rules::Rule* r) {
  if (r == nullptr) return false;
  const std::string& proto = r->header.protocol;
  const bool transport = proto == "ip" || proto == "tcp" || proto == "udp" || proto == "icmp" ||
                         proto == "icmpv4" || proto == "icmpv6" || proto == "tcp-pkt" ||
                         proto == "tcp-stream" || proto == "sctp" || proto == "pkthdr";
  if (!transport) return true;  // an app-layer protocol rule
  const auto any = [](const auto& ports) { return ports == nullptr || ports->is_any(); };
  return r->buffers.empty() && !r->flow && !r->dsize && r->flowbits.empty() && r->xbits.empty() &&
         r->flowints.empty() && any(r->header.src_ports) && any(r->header.dst_ports);
}

void ForgetTx(FlowInspectState& s, uint64_t key) {
  std::erase_if(s.tx_alerted, [key](const auto& e) { return e.first == key; });
}

}  // namespace

InspectPlugin::InspectPlugin(std::shared_ptr<const InspectContext> ctx, EventWriter& events)
    : ctx_(std::move(ctx)),
      app_(ctx_->app),
      out_(events),
      flows_(ctx_->flow_capacity, [this](FlowInspectState& s) {
        s.detector.emplace(app_.detect, app_.dns, nullptr);
      }) {
  events_.emplace(*ctx_, out_);
  if (ctx_->engine) detect_.emplace(*ctx_->engine);
  packet_alerted_.reserve(64);
}

InspectPlugin::InspectPlugin(std::shared_ptr<InspectContextSlot> slot, EventWriter& events)
    : InspectPlugin(slot->Load(), events) {
  slot_ = std::move(slot);  // slot_gen_ 0: the first packet confirms (or takes) the live one
}

void InspectPlugin::AdoptLiveContext() {
  std::shared_ptr<const InspectContext> next = slot_->Load(&slot_gen_);
  if (next == ctx_ || next == nullptr) return;
  // Per-flow detection state names flowbits, flowints and rules by the old engine's ids.
  DetectStateRemap remap(ctx_->engine.get(), next->engine.get());
  for (size_t i = 0; i < flows_.constructed(); ++i) {
    FlowInspectState& s = flows_[i];
    if (s.active) remap.Apply(s.detect, s.tx_alerted);
    s.detect.scan_memo[0].Clear();  // hits name the old engine's rules
    s.detect.scan_memo[1].Clear();
  }
  FlushRuleProfile();
  detect_.reset();
  if (next->engine) detect_.emplace(*next->engine);
  events_.emplace(*next, out_);
  std::swap(ctx_, next);
  slot_->Retire(std::move(next));  // freed on the reloader's thread once no worker holds it
  ++reloads_adopted_;
}

InspectPlugin::~InspectPlugin() { FlushRuleProfile(); }

void InspectPlugin::FlushRuleProfile() {
  if (!detect_ || !ctx_->engine || ctx_->profile_file.empty()) return;
  const std::string text = RuleProfileJsonLines(*ctx_->engine, detect_->profile());
  if (text.empty()) return;
  // One write() of whole lines with O_APPEND: workers appending at once do not interleave.
  const int fd = ::open(ctx_->profile_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;  // the reader reports a missing profile
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
}

FlowInspectState& InspectPlugin::State(const Flow& f) {
  FlowInspectState& s = flows_.At(f.index);
  if (!s.active) {
    s.active = true;
    if (intel_) intel_->OnFlow(f);  // once per flow: client and server address
    s.detector->set_port_hint(f.server_port());
    s.window[0] = StreamWindow(ctx_->stream_window_bytes, ctx_->stream_depth_bytes);
    s.window[1] = StreamWindow(ctx_->stream_window_bytes, ctx_->stream_depth_bytes);
  }
  if (f.state == FlowState::kEstablished && !s.established) {
    s.established = true;
    // TCP: the packet that completed the handshake is not yet "established" for rules (Suricata
    // sets the flag from the flow state before the stream engine saw the packet) unless it
    // carries data (OnPacket clears it for that one packet).
    s.established_now = f.key.proto == 6;
  }
  return s;
}

namespace {

// Takes a parser from the worker's pool (or makes one) into `slot`.
template <typename P, typename Cfg>
P* TakeParser(std::unique_ptr<P>& slot, std::vector<std::unique_ptr<P>>& pool, const Cfg& cfg) {
  if (!slot) {
    if (!pool.empty()) {
      slot = std::move(pool.back());
      pool.pop_back();
    } else {
      slot = std::make_unique<P>(cfg, nullptr);
    }
  }
  return slot.get();
}

// Resets the flow's parser and gives it back to the pool, so the worker holds as many parsers
// (and their buffers) as it has flows of that protocol at once, not one per flow slot.
template <typename P>
void ReturnParser(std::unique_ptr<P>& slot, std::vector<std::unique_ptr<P>>& pool) {
  if (!slot) return;
  slot->Reset();
  pool.push_back(std::move(slot));
}

}  // namespace

AppParser* InspectPlugin::StartParser(FlowInspectState& s, AppProto p) {
  switch (p) {
    case AppProto::kHttp: s.parser = TakeParser(s.http, http_pool_, app_.http); break;
    case AppProto::kTls: s.parser = TakeParser(s.tls, tls_pool_, app_.tls); break;
    case AppProto::kDns: s.parser = TakeParser(s.dns, dns_pool_, app_.dns); break;
    case AppProto::kMqtt: s.parser = TakeParser(s.mqtt, mqtt_pool_, app_.mqtt); break;
    default: s.parser = nullptr; break;
  }
  return s.parser;
}

const Packet& InspectPlugin::PacketFor(const Flow& f, bool to_server, const Packet* real) {
  if (real != nullptr) {
    const bool from_client = real->src == f.client() && real->sport == f.client_port();
    if (from_client == to_server) return *real;
  }
  pseudo_ = Packet{};
  pseudo_.decoded = true;
  const IpAddress c = f.client();
  const IpAddress sv = f.server();
  pseudo_.ip_version = c.is_v6() ? 6 : 4;
  pseudo_.ip_proto = f.key.proto;
  pseudo_.src = to_server ? c : sv;
  pseudo_.dst = to_server ? sv : c;
  pseudo_.sport = to_server ? f.client_port() : f.server_port();
  pseudo_.dport = to_server ? f.server_port() : f.client_port();
  pseudo_.ts = real != nullptr ? real->ts : f.last_seen;
  pseudo_.pcap_cnt = real != nullptr ? real->pcap_cnt : 0;
  return pseudo_;
}

InspectInput InspectPlugin::BaseInput(const Packet& p, FlowInspectState* s, bool to_server,
                                      bool tcp_stream) {
  InspectInput in;
  in.packet = &p;
  in.buffers = &buffers_;
  in.flow = s != nullptr ? &s->detect : nullptr;
  in.kind = InspectKind::kPacket;
  in.to_server = to_server;
  in.established = s != nullptr && s->established;
  in.tcp_stream_inspected = tcp_stream;
  if (tcp_stream && &p == stream_packet_ && to_server == packet_stream_to_server_)
    in.stream_scan_id = packet_stream_scan_;
  in.app_proto = s != nullptr ? AppProtoName(s->proto) : std::string_view();
  if (s != nullptr && p.ip_proto == 6) {  // also the flow-level packets of stream calls
    in.client_stream_bytes = static_cast<int64_t>(s->stream_bytes[0]);
    in.server_stream_bytes = static_cast<int64_t>(s->stream_bytes[1]);
  }
  return in;
}

void InspectPlugin::Run(InspectInput& in, const Flow* flow, FlowInspectState* s,
                        const AppRef& app, uint64_t tx_key, bool extra) {
  if (!detect_) return;
  // Passed or dropped by an exception policy: parsed and logged, never inspected by rules.
  if (packet_no_detect_ || (flow != nullptr && flow->no_detect)) return;
  const bool has_item =
      app.http != nullptr || app.dns != nullptr || app.tls != nullptr || app.mqtt != nullptr;
  if (in.kind == InspectKind::kStream) {
    ++stats_.stream_inspections;
  } else if (has_item) {
    ++stats_.app_inspections;
  } else {
    ++stats_.packet_inspections;
  }
  detect_->Inspect(in, &alerts_);
  const AppRef plain{.proto = app.proto};
  for (const Alert& a : alerts_.alerts()) {
    const bool tx_rule = a.rule_index < ctx_->tx_scoped.size() && ctx_->tx_scoped[a.rule_index];
    if (in.kind == InspectKind::kPacket) {
      if (tx_rule) {
        // An app-layer rule reports once per transaction, on the packet that completed the part
        // it inspects; without a transaction in this inspection it does not report.
        if (!has_item) continue;
        // Request-buffer rules belong to the request side, response-buffer rules to the response
        // side: a transaction inspected again from the other side does not report them.
        if (!(ctx_->app_dirs[a.rule_index] & (in.to_server ? 1 : 2))) continue;
        if (s != nullptr) {
          const std::pair<uint64_t, uint32_t> key{tx_key, a.rule_index};
          if (std::find(s->tx_alerted.begin(), s->tx_alerted.end(), key) != s->tx_alerted.end()) {
            ++stats_.tx_duplicates;
            continue;
          }
          s->tx_alerted.push_back(key);
        }
      } else if (extra && std::find(packet_alerted_.begin(), packet_alerted_.end(),
                                    a.rule_index) != packet_alerted_.end()) {
        continue;  // a packet rule already reported for this packet
      }
      packet_alerted_.push_back(a.rule_index);
    }
    events_->Alert(a, *in.packet, flow, in.to_server, tx_rule ? app : plain);
    // IPS: a drop applies to the whole flow when it matched stream or app-layer data, or the
    // rule looks only at addresses (Suricata's IP-only / app-layer signatures); else the packet.
    if (ctx_->ips && BlocksInIps(a.action) &&
        (in.kind == InspectKind::kStream || a.stream || tx_rule || has_item || IpOnlyLike(a.rule))) {
      drop_flow_ = true;
    }
    if (s != nullptr) s->alerted = true;
    ++stats_.alerts;
  }
}

void InspectPlugin::FeedStream(FlowInspectState& s, const Flow& f, StreamDirection dir,
                               std::span<const uint8_t> bytes) {
  (void)f;
  const Direction d = AppDir(dir);
  if (s.parser != nullptr) {
    s.parser->OnData(d, bytes);
    return;
  }
  if (s.proto != AppProto::kUnknown) return;  // failed (or a protocol switched off)
  const AppProto p = s.detector->OnData(d, bytes);
  if (p == AppProto::kUnknown) return;
  s.proto = p;
  AppParser* parser = StartParser(s, p);
  if (parser == nullptr) return;
  parser->OnData(Direction::kToServer, s.detector->Held(Direction::kToServer));
  parser->OnData(Direction::kToClient, s.detector->Held(Direction::kToClient));
  parser->OnData(d, bytes);
}

void InspectPlugin::InspectStream(FlowInspectState& s, const Flow& f, StreamDirection dir,
                                  std::span<const uint8_t> bytes) {
  const bool to_server = dir == StreamDirection::kToServer;
  StreamWindow& w = s.window[Idx(dir)];
  const StreamView v = w.Feed(bytes);
  if (v.data.empty() || v.new_offset >= v.data.size()) return;
  const Packet& p = PacketFor(f, to_server, stream_packet_);
  buffers_.Clear();
  buffers_.Set(BufferId::kPacket, v.data);
  InspectInput in = BaseInput(p, &s, to_server, true);
  in.kind = InspectKind::kStream;
  in.stream_new_offset = v.new_offset;
  in.stream_base = v.base;
  in.stream_carry = &w.carry();
  const uint64_t scan_before = detect_->stream_scan_id();
  Run(in, &f, &s, AppRef{.proto = s.proto}, 0, false);
  ++packet_chunks_;
  const uint64_t scan = detect_->stream_scan_id();
  const Packet* sp = stream_packet_;
  const bool same_bytes = sp != nullptr && scan == scan_before + 1 && !v.depth_reached &&
                          v.data.size() - v.new_offset == bytes.size() &&
                          sp->payload_len == bytes.size() &&
                          (sp->payload == bytes.data() ||  // in-order data is delivered in place
                           std::memcmp(sp->payload, bytes.data(), bytes.size()) == 0);
  packet_stream_scan_ = (packet_chunks_ == 1 && same_bytes) ? scan : 0;
  packet_stream_to_server_ = to_server;
}

void InspectPlugin::OnStreamData(const Flow& flow, StreamDirection dir,
                                 std::span<const uint8_t> bytes, uint64_t offset) {
  (void)offset;
  if (flow.index >= flows_.capacity() || bytes.empty()) return;
  FlowInspectState& s = State(flow);
  s.stream_bytes[Idx(dir)] += bytes.size();
  FeedStream(s, flow, dir, bytes);
  if (detect_) InspectStream(s, flow, dir, bytes);
}

void InspectPlugin::OnStreamGap(const Flow& flow, StreamDirection dir, uint64_t offset,
                                uint64_t length) {
  (void)offset;
  if (flow.index >= flows_.capacity()) return;
  FlowInspectState& s = State(flow);
  s.stream_bytes[Idx(dir)] += length;
  s.window[Idx(dir)].Gap(length);  // no stream match across missing bytes
  if (s.parser != nullptr) {
    s.parser->OnGap(AppDir(dir), length);
  } else if (s.proto == AppProto::kUnknown) {
    // A gap before the decision fails that direction (the detector says when the flow fails).
    const AppProto p = s.detector->OnGap(AppDir(dir));
    if (p == AppProto::kFailed) s.proto = p;
  }
}

void InspectPlugin::OnStreamEnd(const Flow& flow, StreamDirection dir, EndReason reason) {
  (void)reason;
  if (flow.index >= flows_.capacity()) return;
  FlowInspectState& s = State(flow);
  s.ended |= dir == StreamDirection::kToServer ? 1 : 2;
  if (s.parser != nullptr) {
    s.parser->OnEnd(AppDir(dir));
  } else if (s.proto == AppProto::kUnknown) {
    const AppProto p = s.detector->OnEnd(AppDir(dir));
    if (p == AppProto::kFailed) s.proto = p;
  }
}

void InspectPlugin::OnPacket(const Packet& p, const PacketContext& ctx) {
  if (slot_ != nullptr && slot_->generation() != slot_gen_) [[unlikely]] AdoptLiveContext();
  packet_alerted_.clear();
  packet_no_detect_ = ctx.no_detect;
  if (ctx.flow == nullptr) {
    if (detect_ && p.decoded) {
      buffers_.Clear();
      if (p.payload_len > 0) buffers_.Set(BufferId::kPacket, p.payload_span());
      InspectInput in = BaseInput(p, nullptr, true, false);
      Run(in, nullptr, nullptr, AppRef{}, 0, false);
    }
    drop_flow_ = false;  // no flow to drop
    return;
  }
  Flow& f = *ctx.flow;
  if (f.index >= flows_.capacity()) return;
  FlowInspectState& s = State(f);
  if (p.is_udp() && f.pkts_toserver > 0 && f.pkts_toclient > 0) s.established = true;
  // The handshake's last ACK without data: not established for its own inspection.
  const bool handshake_ack = s.established_now && p.is_tcp() && p.payload_len == 0;
  s.established_now = false;
  if (handshake_ack) s.established = false;
  const bool tcp_stream = p.is_tcp() && !ctx.stream.has(stream_verdict::kNotTracked);
  if (p.is_udp() && p.payload_len > 0) {
    const Direction d = ctx.to_server ? Direction::kToServer : Direction::kToClient;
    if (s.proto == AppProto::kUnknown) {
      // DNS over UDP only on port 53, as Suricata's UDP probing ports: NetBIOS name service
      // (137), mDNS and LLMNR look like DNS but are other protocols.
      const bool dns_port = f.server_port() == kDnsPort || f.client_port() == kDnsPort;
      s.proto = dns_port ? s.detector->OnDatagram(d, p.payload_span()) : AppProto::kFailed;
      StartParser(s, s.proto);
    }
    if (s.dns && s.parser == s.dns.get()) s.dns->OnDatagram(d, p.payload_span());
  }
  bool inspected = false;
  AppLayer(s, f, p, ctx.to_server, tcp_stream, &inspected);
  if (s.ended == 3 && s.parser != nullptr) FinishApp(s, f, &p);  // both directions ended
  if (!inspected && detect_) {
    buffers_.Clear();
    if (p.payload_len > 0) buffers_.Set(BufferId::kPacket, p.payload_span());
    InspectInput in = BaseInput(p, &s, ctx.to_server, tcp_stream);
    Run(in, &f, &s, AppRef{.proto = s.proto}, 0, false);
  }
  if (handshake_ack) s.established = true;
  if (s.alerted) f.alerted = true;
  if (drop_flow_) {  // a drop/reject rule matched in IPS mode: nothing more of the flow passes
    drop_flow_ = false;
    f.action = FlowAction::kDrop;
    f.no_detect = true;
    f.no_process = true;
  }
}

void InspectPlugin::AppLayer(FlowInspectState& s, const Flow& f, const Packet& p,
                             bool to_server, bool tcp_stream, bool* inspected) {
  if (s.parser == nullptr) return;
  // The first inspection of a packet carries its payload too; later ones only app buffers.
  auto start = [&]() {
    buffers_.Clear();
    if (!*inspected && p.payload_len > 0) buffers_.Set(BufferId::kPacket, p.payload_span());
  };
  switch (s.proto) {
    case AppProto::kHttp:
      HttpUpdates(s, f, p, to_server, tcp_stream, inspected);
      break;
    case AppProto::kDns:
      s.dns->Drain([&](const DnsMessage& m) {
        ++stats_.dns_messages;
        if (detect_) {
          const size_t n = m.is_response() ? 1 : std::max<size_t>(1, m.questions.size());
          for (size_t q = 0; q < n; ++q) {
            start();
            AddDnsBuffers(m, q, buffers_);
            InspectInput in = BaseInput(p, &s, to_server, tcp_stream);
            app_events_.Clear();
            app_events_.AddBits(m.events, kDnsEventDefs);
            app_events_.AddFlowLevel(s.parser->anomalies());
            in.app_events = app_events_.view();
            in.dns_opcode = m.opcode();
            AppRef app{.proto = AppProto::kDns, .dns = &m, .dns_question = q, .tx_id = m.index};
            Run(in, &f, &s, app, TxKey(AppProto::kDns, m.index), *inspected);
            *inspected = true;
          }
        }
        if (intel_) intel_->OnDns(m, f, p);
        events_->Dns(m, f, p);
        ForgetTx(s, TxKey(AppProto::kDns, m.index));
      });
      break;
    case AppProto::kTls: {
      const TlsSession& ts = s.tls->session();
      const uint8_t stage = TlsStageOf(ts);
      // A new handshake stage, or TLS events raised by this packet's records.
      const bool events = !s.parser->anomalies().empty();
      if ((stage > s.tls_stage || events) && detect_) {
        start();
        AddTlsBuffers(ts, to_server, tls_items_, buffers_);
        InspectInput in = BaseInput(p, &s, to_server, tcp_stream);
        app_events_.Clear();
        app_events_.AddFlowLevel(s.parser->anomalies());
        in.app_events = app_events_.view();
        AppRef app{.proto = AppProto::kTls, .tls = &ts, .tx_id = 0};
        Run(in, &f, &s, app, TxKey(AppProto::kTls, 0), *inspected);
        *inspected = true;
      }
      s.tls_stage = stage;
      if (s.tls->TakeLogReady()) {
        ++stats_.tls_sessions;
        if (intel_) intel_->OnTls(ts, f, p);
        events_->Tls(ts, f, p);
      }
      break;
    }
    case AppProto::kMqtt:
      MqttUpdates(s, f, p, to_server, tcp_stream, inspected);
      break;
    default:
      break;
  }
  Anomalies(s, f, p);
}

void InspectPlugin::HttpUpdates(FlowInspectState& s, const Flow& f, const Packet& p,
                                bool to_server, bool tcp_stream, bool* inspected) {
  HttpParser& h = *s.http;
  if (s.http_stages.size() < h.tx_count()) s.http_stages.resize(h.tx_count(), kHttpNothing);
  for (size_t i = 0; i < h.tx_count(); ++i) {
    const HttpTransaction& tx = h.tx(i);
    const uint8_t stage = HttpStageOf(tx);
    if (stage <= s.http_stages[i]) continue;
    s.http_stages[i] = stage;
    if (!detect_) continue;
    buffers_.Clear();
    if (!*inspected && p.payload_len > 0) buffers_.Set(BufferId::kPacket, p.payload_span());
    AddHttpBuffers(tx, stage, to_server, status_text_, buffers_);
    InspectInput in = BaseInput(p, &s, to_server, tcp_stream);
    app_events_.Clear();
    app_events_.AddBits(tx.events, kHttpEventDefs);
    app_events_.AddFlowLevel(h.anomalies());
    in.app_events = app_events_.view();
    in.tx_scan_key = TxKey(AppProto::kHttp, tx.id);  // one scan per buffer and direction
    AppRef app{.proto = AppProto::kHttp, .http = &tx, .tx_id = tx.id};
    Run(in, &f, &s, app, TxKey(AppProto::kHttp, tx.id), *inspected);
    *inspected = true;
  }
  const size_t drained = h.DrainCompleted([&](const HttpTransaction& tx) {
    ++stats_.http_tx;
    if (intel_) intel_->OnHttp(tx, f, p);
    events_->Http(tx, f, p);
    ForgetTx(s, TxKey(AppProto::kHttp, tx.id));
  });
  s.http_stages.erase(s.http_stages.begin(),
                      s.http_stages.begin() + static_cast<ptrdiff_t>(
                                                  std::min(drained, s.http_stages.size())));
}

void InspectPlugin::Anomalies(FlowInspectState& s, const Flow& f, const Packet& p) {
  if (s.parser == nullptr || s.parser->anomalies().empty()) return;
  for (const AppAnomaly& a : s.parser->anomalies().items()) events_->Anomaly(a, s.proto, f, p);
  s.parser->anomalies().Clear();
}

void InspectPlugin::FinishApp(FlowInspectState& s, const Flow& flow, const Packet* real) {
  const bool tcp = flow.key.proto == 6;
  if (s.proto == AppProto::kHttp && s.http) {
    // What the last packets left unfinished: inspect each transaction's remaining part with a
    // packet of the direction that part came from, then log every transaction.
    HttpParser& h = *s.http;
    if (s.http_stages.size() < h.tx_count()) s.http_stages.resize(h.tx_count(), kHttpNothing);
    for (size_t i = 0; i < h.tx_count() && detect_; ++i) {
      const HttpTransaction& tx = h.tx(i);
      const uint8_t stage = HttpStageOf(tx);
      if (stage <= s.http_stages[i]) continue;
      s.http_stages[i] = stage;
      const bool to_server = stage <= kHttpRequestDone;
      const Packet& p = PacketFor(flow, to_server, real);
      buffers_.Clear();
      AddHttpBuffers(tx, stage, to_server, status_text_, buffers_);
      InspectInput in = BaseInput(p, &s, to_server, tcp);
      app_events_.Clear();
      app_events_.AddBits(tx.events, kHttpEventDefs);
      in.app_events = app_events_.view();
      in.tx_scan_key = TxKey(AppProto::kHttp, tx.id);
      AppRef app{.proto = AppProto::kHttp, .http = &tx, .tx_id = tx.id};
      Run(in, &flow, &s, app, TxKey(AppProto::kHttp, tx.id), true);
    }
    const Packet& p = PacketFor(flow, true, real);
    h.DrainAll([&](const HttpTransaction& tx) {
      ++stats_.http_tx;
      if (intel_) intel_->OnHttp(tx, flow, p);
      events_->Http(tx, flow, p);
    });
    Anomalies(s, flow, p);
  } else if (s.parser != nullptr) {
    const Packet& p = PacketFor(flow, true, real);
    bool inspected = true;  // no payload of its own
    AppLayer(s, flow, p, true, tcp, &inspected);
  }
  // Parsers (and their buffers) go back to the pool: a closed flow that waits for its timeout
  // holds none.
  ReturnParser(s.http, http_pool_);
  ReturnParser(s.tls, tls_pool_);
  if (s.mqtt) MqttFlush(s, flow, PacketFor(flow, true, real));
  ReturnParser(s.dns, dns_pool_);
  ReturnParser(s.mqtt, mqtt_pool_);
  s.parser = nullptr;
  s.http_stages.clear();
  s.tx_alerted.clear();
}

void InspectPlugin::OnFlowEnd(Flow& flow, const FlowStreamStats& stream) {
  (void)stream;
  if (drop_flow_) {  // dropped by a match on the flushed stream: the flow event says so
    drop_flow_ = false;
    flow.action = FlowAction::kDrop;
  }
  if (flow.index >= flows_.capacity() || !flows_.IsConstructed(flow.index)) return;
  FlowInspectState& s = flows_[flow.index];
  if (!s.active) return;
  packet_alerted_.clear();
  FinishApp(s, flow, nullptr);
  if (s.alerted) flow.alerted = true;
  flow.app_proto = static_cast<uint16_t>(s.proto);
  // Back to a fresh slot.
  s.detector->Reset();
  s.proto = AppProto::kUnknown;
  s.active = s.established = s.established_now = s.alerted = false;
  s.ended = 0;
  s.stream_bytes[0] = s.stream_bytes[1] = 0;
  s.detect.bits.clear();
  s.detect.ints.clear();  // flowint and by_flow thresholds are the flow's, not the slot's
  s.detect.ints_set.clear();
  s.detect.rates.clear();
  s.detect.pass = false;
  s.detect.scan_memo[0].Clear();  // a later flow in this slot has its own transactions
  s.detect.scan_memo[1].Clear();
  s.tls_stage = 0;
}

std::string_view InspectPlugin::FlowAppProto(const Flow& flow) const {
  if (flow.app_proto > static_cast<uint16_t>(AppProto::kFailed)) return {};
  return AppProtoName(static_cast<AppProto>(flow.app_proto));
}

WorkerPluginFactory MakeInspectPluginFactory(std::shared_ptr<InspectContextSlot> slot) {
  return [slot](uint32_t worker_id, EventWriter& events) -> std::unique_ptr<WorkerPlugin> {
    (void)worker_id;
    return std::make_unique<InspectPlugin>(slot, events);
  };
}

WorkerPluginFactory MakeInspectPluginFactory(std::shared_ptr<const InspectContext> ctx) {
  return [ctx](uint32_t worker_id, EventWriter& events) -> std::unique_ptr<WorkerPlugin> {
    (void)worker_id;
    return std::make_unique<InspectPlugin>(ctx, events);
  };
}

WorkerPluginFactory WithIntel(WorkerPluginFactory inspect, IntelStore* intel) {
  if (intel == nullptr) return inspect;
  return [inspect = std::move(inspect), intel](uint32_t worker_id,
                                               EventWriter& events) -> std::unique_ptr<WorkerPlugin> {
    std::unique_ptr<WorkerPlugin> p = inspect(worker_id, events);
    if (auto* ip = dynamic_cast<InspectPlugin*>(p.get())) {
      CounterBlock* block = intel->registry().NewBlock("intel-w" + std::to_string(worker_id));
      ip->AttachIntel(std::make_unique<IntelMatcher>(*intel, events, block));
    }
    return p;
  };
}

}  // namespace vigil::sensor
