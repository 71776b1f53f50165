#include "sensor/detect/detect_thread.h"

#include "sensor/detect/header_buffer.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <string_view>

namespace vigil::sensor {
namespace {

using rules::BufferId;

bool SameAddress(const IpAddress& a, const IpAddress& b) {
  return a.family == b.family && a.bytes == b.bytes;
}

bool HeaderMatches(const rules::RuleHeader& h, const Packet& p) {
  const bool ports = p.ip_proto == 6 || p.ip_proto == 17 || p.ip_proto == 132;  // TCP/UDP/SCTP
  auto fwd = [&](const IpAddress& s, uint16_t sp, const IpAddress& d, uint16_t dp) {
    if (h.src && !h.src->Match(s)) return false;
    if (h.dst && !h.dst->Match(d)) return false;
    if (ports && h.src_ports && !h.src_ports->Match(sp)) return false;
    if (ports && h.dst_ports && !h.dst_ports->Match(dp)) return false;
    return true;
  };
  if (fwd(p.src, p.sport, p.dst, p.dport)) return true;
  return h.direction == rules::Direction::kBidirectional && fwd(p.dst, p.dport, p.src, p.sport);
}

bool IsEcho(const Packet& p) {
  uint8_t t = p.icmp.type;
  return p.ip_proto == 1 ? (t == 0 || t == 8) : (t == 128 || t == 129);
}

bool HeaderChecks(const rules::HeaderOptions& h, const Packet& p) {
  if (h.itype || h.icode || h.icmp_id || h.icmp_seq) {
    if (!p.is_icmp()) return false;
    if (h.itype && !h.itype->Matches(p.icmp.type)) return false;
    if (h.icode && !h.icode->Matches(p.icmp.code)) return false;
    if (h.icmp_id && (!IsEcho(p) || !h.icmp_id->Matches(p.icmp.id))) return false;
    if (h.icmp_seq && (!IsEcho(p) || !h.icmp_seq->Matches(p.icmp.seq))) return false;
  }
  if (h.ttl && !h.ttl->Matches(p.ttl)) return false;
  if (h.ip_proto && !h.ip_proto->Matches(p.ip_proto)) return false;
  if (h.ip_id && (p.ip_version != 4 || !h.ip_id->Matches(p.ip_id))) return false;
  if (h.tos && !h.tos->Matches(p.ip_tos)) return false;
  if (h.window || h.seq || h.ack || h.flags) {
    if (!p.is_tcp()) return false;
    if (h.window && !h.window->Matches(p.tcp.window)) return false;
    if (h.seq && !h.seq->Matches(p.tcp.seq)) return false;
    if (h.ack && !h.ack->Matches(p.tcp.ack)) return false;
    if (h.flags && !h.flags->Matches(p.tcp.flags)) return false;
  }
  if (h.sameip && !SameAddress(p.src, p.dst)) return false;
  for (const rules::IpOptsOption& o : h.ipopts) {
    if (p.ip_version != 4) return false;
    if (o.any ? p.ipv4_opts == 0 : !p.has_ipv4_option(o.type)) return false;
  }
  return true;
}

bool FlowbitCheck(const FlowbitOp& op, const FlowDetectState* flow) {
  auto isset = [&](uint32_t id) { return flow && flow->IsSet(id); };
  const bool want_set = op.command == rules::FlowbitsCommand::kIsSet;
  if (op.join == rules::FlowbitsJoin::kOr) {
    for (uint32_t id : op.ids)
      if (isset(id) == want_set) return true;
    return false;
  }
  for (uint32_t id : op.ids)
    if (isset(id) != want_set) return false;
  return true;
}

bool AppProtoMatches(std::string_view want, std::string_view have) {
  if (want == have) return true;
  return want == "http" && have.starts_with("http");
}

// app-layer-protocol: as the header protocol, plus Suricata's aliases ("ssl" is "tls", "http1"
// is "http"; "http" covers http1 and http2).
bool AppLayerProtocolMatches(std::string_view want, std::string_view have) {
  if (want == "ssl") want = "tls";
  if (want == "http1") want = "http";
  if (want == "http" && have == "http2") return true;
  return AppProtoMatches(want, have);
}

std::string_view IdsActionName(rules::Action a) {
  // IDS mode: Suricata logs drop and reject matches as "allowed" (nothing is blocked).
  (void)a;
  return "allowed";
}

// Buffers whose hits a TxScanMemo keeps: an app-layer transaction's own bytes. Not pkt_data
// (each packet's payload), nor the bodies (scanned once per direction anyway, and their
// database may be shared with file_data), nor buffers derived from the packet or a rule.
bool MemoKeepsBuffer(BufferId b) {
  return b != BufferId::kPacket && b != BufferId::kFileData && b != BufferId::kHttpRequestBody &&
         b != BufferId::kHttpResponseBody && b != BufferId::kBase64Data && !IsPacketDerivedBuffer(b);
}

bool StreamSizeMatches(const rules::StreamSizeOption& o, const InspectInput& in) {
  auto side = [&](int64_t bytes) { return bytes >= 0 && o.size.Matches(static_cast<uint64_t>(bytes)); };
  switch (o.side) {
    case rules::StreamSide::kServer: return side(in.server_stream_bytes);
    case rules::StreamSide::kClient: return side(in.client_stream_bytes);
    case rules::StreamSide::kBoth: return side(in.server_stream_bytes) && side(in.client_stream_bytes);
    case rules::StreamSide::kEither: return side(in.server_stream_bytes) || side(in.client_stream_bytes);
  }
  return false;
}

}  // namespace

DetectThread::DetectThread(const DetectEngine& engine, CounterBlock* block, CounterGroup ids)
    : engine_(engine),
      block_(block),
      ids_(ids),
      pcre_(engine.config().pcre_match_limit, engine.config().pcre_depth_limit),
      scratch_(&pcre_),
      thresholds_(engine.config().threshold_table_size),
      xbits_(engine.config().xbits_table_size),
      xf_(&pcre_),
      xf_out_(engine.chains().size()),
      xf_view_(engine.chains().size()),
      xf_stamp_(engine.chains().size(), 0),
      bit_seen_(engine.flowbit_count(), 0),
      profile_(engine.rules().size()) {
  auto s = engine.scratch_prototype().Clone();
  if (s) hs_ = std::move(*s);
  else ok_ = false;
  scratch_.recursion_limit = engine.config().inspection_recursion_limit;
  candidates_.reserve(engine.rules().size());
}

const std::span<const uint8_t>* DetectThread::View(BufferId buffer, uint32_t chain,
                                                   const InspectInput& in) {
  if (buffer == BufferId::kBase64Data) {
    base64_view_ = std::span<const uint8_t>(scratch_.base64.data(), scratch_.base64_len);
    return scratch_.base64_len ? &base64_view_ : nullptr;
  }
  const std::span<const uint8_t>* raw = nullptr;
  if (buffer == BufferId::kIpSrc || buffer == BufferId::kIpDst) {
    // ip.src / ip.dst: the address bytes (4 or 16) of the packet being inspected.
    const bool src = buffer == BufferId::kIpSrc;
    const IpAddress& a = src ? in.packet->src : in.packet->dst;
    if (a.family != 4 && a.family != 6) return nullptr;
    ip_view_[src ? 0 : 1] = std::span<const uint8_t>(a.bytes.data(), a.family == 4 ? 4 : 16);
    raw = &ip_view_[src ? 0 : 1];
  } else {
    raw = in.buffers->Get(buffer);
  }
  if (raw == nullptr && in.kind == InspectKind::kPacket && IsPacketHeaderBuffer(buffer) &&
      PacketHeaderBuffer(buffer, *in.packet, &header_view_)) {
    raw = &header_view_;  // ipv4.hdr, tcp.hdr...: from the packet itself
  }
  if (chain == 0 || raw == nullptr) return raw;
  const size_t k = chain - 1;
  if (xf_stamp_[k] != generation_) {
    engine_.chains()[k].Apply(*raw, xf_, &xf_out_[k]);
    xf_view_[k] = std::span<const uint8_t>(xf_out_[k].data(), xf_out_[k].size());
    xf_stamp_[k] = generation_;
    Count(DetectCounters::kTransforms);
  }
  return &xf_view_[k];
}

std::span<const uint8_t> DetectThread::ItemView(std::span<const uint8_t> item, uint32_t chain) {
  if (chain == 0) return item;
  const size_t k = chain - 1;
  engine_.chains()[k].Apply(item, xf_, &xf_out_[k]);
  xf_stamp_[k] = 0;  // the cached whole-buffer view is gone
  Count(DetectCounters::kTransforms);
  return std::span<const uint8_t>(xf_out_[k].data(), xf_out_[k].size());
}

void DetectThread::AddFlowbitGated(const uint32_t* gids, const InspectInput& in) {
  const auto& groups = engine_.groups();
  const auto& engine_rules = engine_.rules();
  auto take = [&](uint32_t bit) {
    if (bit >= bit_seen_.size() || bit_seen_[bit]) return;
    bit_seen_[bit] = 1;
    bits_seen_.push_back(bit);
    for (size_t gi = 0; gi < 3; ++gi) {
      if (gids[gi] == 0) continue;
      const auto& gated = groups[gids[gi] - 1].flowbit_gated;
      auto it = std::lower_bound(gated.begin(), gated.end(), std::make_pair(bit, uint32_t{0}));
      for (; it != gated.end() && it->first == bit; ++it) {
        if (in.buffers->Has(engine_rules[it->second].fast_pattern->buffer)) candidates_.push_back(it->second);
      }
    }
  };
  if (in.flow != nullptr) {
    for (size_t w = 0; w < in.flow->bits.size(); ++w) {
      for (uint64_t word = in.flow->bits[w]; word != 0; word &= word - 1)
        take(static_cast<uint32_t>(w * 64 + static_cast<unsigned>(__builtin_ctzll(word))));
    }
  }
  // A candidate evaluated earlier may set a bit (setters are ordered first); the rules it
  // gates are candidates too, and may set further bits.
  for (size_t k = 0; k < candidates_.size(); ++k) {
    for (const FlowbitOp& op : engine_rules[candidates_[k]].flowbit_actions) {
      if (op.command != rules::FlowbitsCommand::kSet && op.command != rules::FlowbitsCommand::kToggle) continue;
      for (uint32_t id : op.ids) take(id);
    }
  }
  for (uint32_t bit : bits_seen_) bit_seen_[bit] = 0;
  bits_seen_.clear();
}

bool DetectThread::FlowintChecks(const EngineRule& er, const InspectInput& in) const {
  for (const FlowintStep& st : er.flowint_checks) {
    const bool set = in.flow && in.flow->IntIsSet(st.id);
    if (st.op == rules::FlowintOp::kIsSet) { if (!set) return false; continue; }
    if (st.op == rules::FlowintOp::kIsNotSet) { if (set) return false; continue; }
    if (!set) return false;  // a comparison with an unset variable never matches
    uint32_t want = st.value;
    if (st.value_id >= 0) {
      if (!in.flow->IntIsSet(static_cast<uint32_t>(st.value_id))) return false;
      want = in.flow->Int(static_cast<uint32_t>(st.value_id));
    }
    const uint32_t v = in.flow->Int(st.id);
    bool ok = false;
    switch (st.op) {
      case rules::FlowintOp::kEq: ok = v == want; break;
      case rules::FlowintOp::kNe: ok = v != want; break;
      case rules::FlowintOp::kLt: ok = v < want; break;
      case rules::FlowintOp::kGt: ok = v > want; break;
      case rules::FlowintOp::kLe: ok = v <= want; break;
      case rules::FlowintOp::kGe: ok = v >= want; break;
      default: break;
    }
    if (!ok) return false;
  }
  return true;
}

void DetectThread::ApplyActions(const EngineRule& er, const InspectInput& in) {
  const Packet& p = *in.packet;
  for (const XbitOp& op : er.xbit_actions) {
    const uint64_t before = xbits_.full();
    xbits_.Apply(op.command, op.id, op.track, op.expire_seconds, p.src, p.dst, p.ts);
    if (xbits_.full() != before) Count(DetectCounters::kXbitsTableFull);
  }
  if (!in.flow) return;
  for (const FlowbitOp& op : er.flowbit_actions) {
    for (uint32_t id : op.ids) {
      switch (op.command) {
        case rules::FlowbitsCommand::kSet: in.flow->Set(id, true); break;
        case rules::FlowbitsCommand::kUnset: in.flow->Set(id, false); break;
        case rules::FlowbitsCommand::kToggle: in.flow->Set(id, !in.flow->IsSet(id)); break;
        default: break;
      }
    }
  }
  for (const FlowintStep& st : er.flowint_actions) {
    uint32_t operand = st.value;
    if (st.value_id >= 0) {
      if (!in.flow->IntIsSet(static_cast<uint32_t>(st.value_id))) continue;  // as Suricata: no change
      operand = in.flow->Int(static_cast<uint32_t>(st.value_id));
    }
    const uint32_t cur = in.flow->Int(st.id);  // 0 when unset
    switch (st.op) {
      case rules::FlowintOp::kAdd: in.flow->SetInt(st.id, cur + operand); break;
      case rules::FlowintOp::kSub: in.flow->SetInt(st.id, cur >= operand ? cur - operand : 0); break;
      case rules::FlowintOp::kAssign: in.flow->SetInt(st.id, operand); break;
      default: break;
    }
  }
}

bool DetectThread::Evaluate(const EngineRule& er, const InspectInput& in) {
  const Packet& p = *in.packet;
  const rules::Rule& r = *er.rule;
  const bool tcp = p.ip_proto == 6;
  if (er.has_pkt_data) {
    if (in.kind == InspectKind::kStream) {
      if (er.no_stream || r.dsize) return false;
    } else {
      if (er.only_stream) return false;
      if (tcp && in.tcp_stream_inspected && !er.no_stream && !r.dsize) return false;
    }
  } else if (in.kind == InspectKind::kStream) {
    return false;
  }
  if (!(er.dirs & (in.to_server ? 1 : 2))) return false;
  if (!er.app_proto.empty() && !AppProtoMatches(er.app_proto, in.app_proto)) return false;
  // Cheap packet-field checks before the address and port sets.
  if (r.dsize && !r.dsize->Matches(p.payload_len)) return false;
  if (!HeaderChecks(r.header_checks, p)) return false;
  if (er.ip_proto != 0 && p.ip_proto != er.ip_proto) return false;
  for (DecodeEvent e : er.decode_events)
    if (!p.has_event(e)) return false;
  if (!HeaderMatches(r.header, p)) return false;
  if (r.flow) {
    const rules::FlowOption& f = *r.flow;
    if (f.state == rules::FlowState::kEstablished && !in.established) return false;
    if (f.state == rules::FlowState::kNotEstablished && in.established) return false;
    if (f.frag == rules::FlowFrag::kOnlyFrag && !p.is_fragment) return false;
    if (f.frag == rules::FlowFrag::kNoFrag && p.is_fragment) return false;
  }
  if (r.urilen) {
    const auto* uri = in.buffers->Get(r.urilen->raw ? BufferId::kHttpUriRaw : BufferId::kHttpUri);
    if (!uri || !r.urilen->length.Matches(uri->size())) return false;
  }
  for (const FlowbitOp& op : er.flowbit_checks)
    if (!FlowbitCheck(op, in.flow)) return false;
  for (const XbitOp& op : er.xbit_checks) {
    bool set = xbits_.IsSet(op.id, op.track, p.src, p.dst, p.ts);
    if (set != (op.command == rules::FlowbitsCommand::kIsSet)) return false;
  }
  if (!FlowintChecks(er, in)) return false;
  for (const rules::AppLayerProtocolOption& ap : r.app.app_layer_protocols) {
    // Unknown (not yet detected) protocol: neither the keyword nor its negation matches.
    if (in.app_proto.empty()) return false;
    if (AppLayerProtocolMatches(ap.protocol, in.app_proto) == ap.negated) return false;
  }
  if (r.app.dns_opcode &&
      (in.dns_opcode < 0 || !r.app.dns_opcode->Matches(static_cast<uint64_t>(in.dns_opcode)))) {
    return false;
  }
  for (const std::string& ev : r.app.app_layer_events) {
    if (std::find(in.app_events.begin(), in.app_events.end(), std::string_view(ev)) ==
        in.app_events.end()) {
      return false;
    }
  }
  for (const rules::StreamSizeOption& ss : r.app.stream_sizes)
    if (!StreamSizeMatches(ss, in)) return false;
  if (!r.app.mqtt.empty() && (in.mqtt == nullptr || !r.app.mqtt.Matches(*in.mqtt))) return false;
  // A list whose buffer this inspection lacks fails the rule: check every list's buffer before
  // matching any (a stream call has only pkt_data, so a pkt_data + http.header rule found by its
  // pkt_data literal stops here instead of searching the window). Up to the first list with a
  // `dataset` keyword, whose set/unset must still run as before when an earlier list matches.
  for (const CompiledList& l : er.lists) {
    if (l.has_dataset) break;
    if (!in.buffers->Has(l.buffer) && l.buffer != BufferId::kBase64Data && !IsPacketDerivedBuffer(l.buffer))
      return false;
  }
  scratch_.vars.fill(0);
  scratch_.base64_len = 0;
  scratch_.datasets.Clear();
  for (const CompiledList& l : er.lists) {
    const auto* buf = View(l.buffer, l.chain, in);
    if (!buf) return false;
    scratch_.min_end = (in.kind == InspectKind::kStream && l.buffer == BufferId::kPacket && l.chain == 0)
                           ? static_cast<int64_t>(in.stream_new_offset)
                           : 0;
    bool ok = false;
    const auto items = in.buffers->Items(l.buffer);
    if (items.empty()) {
      ok = MatchList(l, *buf, scratch_);
    } else {
      for (size_t k = 0; k < items.size() && !ok; ++k) ok = MatchList(l, ItemView(items[k], l.chain), scratch_);
    }
    if (scratch_.datasets.full) {
      Count(DetectCounters::kDatasetFull, scratch_.datasets.full);
      scratch_.datasets.full = 0;
    }
    if (scratch_.pcre_limit_hits) {
      Count(DetectCounters::kPcreMatchLimit, scratch_.pcre_limit_hits);
      scratch_.pcre_limit_hits = 0;
    }
    if (scratch_.recursion_limit_hits) {
      Count(DetectCounters::kRecursionLimit, scratch_.recursion_limit_hits);
      scratch_.recursion_limit_hits = 0;
    }
    if (!ok) return false;
  }
  return true;
}

bool DetectThread::AlertAllowed(uint32_t ri, const EngineRule& er, const InspectInput& in) {
  const Packet& p = *in.packet;
  for (const rules::ThresholdEntry* s : er.suppress) {
    if (!s->suppress_track || !s->suppress_ip) return false;
    bool src = s->suppress_ip->Match(p.src), dst = s->suppress_ip->Match(p.dst);
    switch (*s->suppress_track) {
      case rules::TrackBy::kSrc: if (src) return false; break;
      case rules::TrackBy::kDst: if (dst) return false; break;
      default: if (src || dst) return false; break;
    }
  }
  const uint64_t full_before = thresholds_.full();
  auto allow = [&](uint32_t id, const rules::ThresholdOption& t) {
    if (t.track == rules::TrackBy::kFlow && in.flow) return RateAllow(in.flow->Rate(id), t, p.ts);
    return thresholds_.Allow(id, t, p.src, p.dst, p.ts);
  };
  bool allowed = true;
  if (er.detection_filter && !allow(ri * 2 + 1, *er.detection_filter)) allowed = false;
  if (allowed && er.threshold && !allow(ri * 2, *er.threshold)) allowed = false;
  if (thresholds_.full() != full_before) Count(DetectCounters::kThresholdTableFull, thresholds_.full() - full_before);
  return allowed;
}

size_t DetectThread::Inspect(const InspectInput& in, AlertQueue* out) {
  out->Clear();
  if (!in.packet || !in.buffers || !ok_) return 0;
  Count(DetectCounters::kInspections);
  if (in.flow && in.flow->pass) {
    Count(DetectCounters::kPassed);
    return 0;
  }
  const Packet& p = *in.packet;
  Transport t = p.ip_proto == 6    ? kTransportTcp
                : p.ip_proto == 17 ? kTransportUdp
                : (p.ip_proto == 1 || p.ip_proto == 58) ? kTransportIcmp
                                                        : kTransportOther;
  const DetectEngine::GroupSet& gs = engine_.groups_for(t, in.to_server);
  uint32_t gids[3] = {0, 0, gs.any};
  if (!gs.dport.empty()) gids[0] = gs.dport[p.dport];
  if (!gs.sport.empty()) gids[1] = gs.sport[p.sport];
  if (gids[1] == gids[0]) gids[1] = 0;
  candidates_.clear();
  const auto& groups = engine_.groups();
  ++generation_;  // transformed buffers of the previous inspection are stale
  uint64_t hits = 0;
  // A packet of a TCP flow whose stream is inspected: its payload was (or will be) scanned in
  // the stream chunk; only no_stream / dsize rules need it as a packet (Evaluate), so the
  // group's small packet-only pkt_data databases replace the full ones.
  const bool tcp_packet =
      in.kind == InspectKind::kPacket && t == kTransportTcp && in.tcp_stream_inspected;
  // A stream chunk with a carry: the untransformed pkt_data databases scan only the new bytes
  // (plus each database's longest literal - 1 before them); fast patterns wholly in the kept
  // tail come from the carry (stream_carry.h). Their hits are collected in carry_hits_.
  StreamCarry* carry = in.kind == InspectKind::kStream ? in.stream_carry : nullptr;
  if (carry != nullptr) carry->BindTo(&engine_, in.stream_new_offset > 0);
  const bool partial = carry != nullptr && !carry->overflowed() && in.stream_new_offset > 0;
  carry_hits_.clear();
  // A TCP packet whose payload is exactly the new bytes of the last stream inspection: the
  // unbounded untransformed packet-only databases need not scan it again (their literals are
  // in that stream scan's databases, which covered all those bytes).
  const bool reuse_stream = tcp_packet && in.stream_scan_id != 0 && in.stream_scan_id == stream_scan_id_;
  if (carry != nullptr) {
    ++stream_scan_id_;
    stream_hits_.clear();
  }
  // A transaction inspected in stages: buffers scanned at an earlier stage (same direction,
  // engine, groups and bytes) take their hits from the flow's memo; the others are scanned and
  // their hits recorded there (memo_mode_: 0 scan, 1 scan and record, 2 from the memo).
  TxScanMemo* memo = nullptr;
  if (in.tx_scan_key != 0 && in.flow != nullptr && in.kind == InspectKind::kPacket) {
    memo = &in.flow->scan_memo[in.to_server ? 0 : 1];
    if (memo->key != in.tx_scan_key || memo->engine != &engine_ || !std::equal(gids, gids + 3, memo->groups)) {
      memo->Clear();
      memo->key = in.tx_scan_key;
      memo->engine = &engine_;
      std::copy(gids, gids + 3, memo->groups);
    }
  }
  for (const BufferId b : in.buffers->ids()) {
    uint8_t& mode = memo_mode_[static_cast<size_t>(b)];
    mode = 0;
    if (memo == nullptr || !MemoKeepsBuffer(b) || !in.buffers->Items(b).empty()) continue;
    const std::span<const uint8_t>& bytes = *in.buffers->Get(b);
    const size_t hash = std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    auto e = std::find_if(memo->scanned.begin(), memo->scanned.end(),
                          [&](const TxScanMemo::Entry& x) { return x.buffer == b; });
    if (e != memo->scanned.end() && e->data == bytes.data() && e->size == bytes.size() && e->hash == hash) {
      mode = 2;
      for (const auto& [buffer, rule] : memo->hits)
        if (buffer == b) candidates_.push_back(rule);
      continue;
    }
    if (e != memo->scanned.end()) {  // other bytes now: forget the old scan
      memo->scanned.erase(e);
      std::erase_if(memo->hits, [&](const std::pair<BufferId, uint32_t>& h) { return h.first == b; });
    }
    memo->scanned.push_back({b, bytes.data(), bytes.size(), hash});
    mode = 1;
  }
  // A folded port group scans the any group's unbounded pkt_data literals itself.
  const bool any_folded = (gids[0] != 0 && groups[gids[0] - 1].folds_any) ||
                          (gids[1] != 0 && groups[gids[1] - 1].folds_any);
  for (size_t gi = 0; gi < 3; ++gi) {
    const uint32_t gid = gids[gi];
    if (gid == 0) continue;
    const RuleGroup& g = groups[gid - 1];
    const bool skip_whole_packet = gi == 2 && any_folded;
    // `via`: the buffer scanned, db.buffer or (a database shared by two buffers) db.second.
    auto scan = [&](const RuleGroup::BufferDb& db, BufferId via) {
      if (!in.buffers->Has(via) && !IsPacketDerivedBuffer(via)) return;  // absent: no View()
      // A database shared by two buffers (BufferDb::second): one scan when both are the same
      // bytes, else each buffer's scan keeps only its own rules' hits.
      bool own_only = false;
      if (db.second != BufferId::kCount) {
        const auto* a = in.buffers->Get(db.buffer);
        const auto* b = in.buffers->Get(db.second);
        const bool same = a != nullptr && b != nullptr && a->data() == b->data() && a->size() == b->size() &&
                          in.buffers->Items(db.buffer).empty() && in.buffers->Items(db.second).empty();
        if (same && via == db.second) return;  // scanned through db.buffer
        own_only = !same;
      }
      const auto* buf = View(via, db.chain, in);
      if (!buf || buf->empty()) return;
      const bool carried = carry != nullptr && via == BufferId::kPacket && db.chain == 0;
      size_t from = 0, to = buf->size();
      if (db.scan_limit != 0) to = std::min<size_t>(to, db.scan_limit);
      if (carried && partial) {
        const size_t overlap = db.max_literal > 0 ? db.max_literal - 1 : 0;
        from = in.stream_new_offset > overlap ? in.stream_new_offset - overlap : 0;
      }
      if (from >= to) return;
      const auto items = in.buffers->Items(via);
      if (!items.empty()) {  // a multi-buffer: every item (never the stream)
        auto on_item = [&](unsigned id, unsigned long long) {
          for (uint32_t k = db.first[id]; k < db.first[id + 1]; ++k) {
            if (own_only && db.rule_buffer[k] != via) continue;
            candidates_.push_back(db.rule_ids[k]);
            ++profile_[db.rule_ids[k]].prefilter_hits;
            ++hits;
          }
        };
        for (const auto& item : items) {
          std::span<const uint8_t> v = ItemView(item, db.chain);
          if (db.scan_limit != 0) v = v.first(std::min<size_t>(v.size(), db.scan_limit));
          if (v.size() >= db.min_literal && !db.db.Scan(v, hs_, on_item)) Count(DetectCounters::kScanErrors);
        }
        return;
      }
      if (to - from < db.min_literal) return;  // no literal fits
      const std::span<const uint8_t> data = buf->subspan(from, to - from);
      std::vector<uint32_t>& into = carried ? carry_hits_ : candidates_;
      const bool packet_hits = carried && db.scan_limit == 0;  // window offsets are not packet ones
      const bool record = memo_mode_[static_cast<size_t>(via)] == 1 && in.buffers->Has(via);
      const bool drop_packet_calls_only = in.kind == InspectKind::kStream && !db.not_in_stream.empty();
      auto on_match = [&](unsigned id, unsigned long long) {
        for (uint32_t k = db.first[id]; k < db.first[id + 1]; ++k) {
          if (own_only && db.rule_buffer[k] != via) continue;
          if (drop_packet_calls_only && db.not_in_stream[k]) continue;
          if (packet_hits) stream_hits_.push_back(db.rule_ids[k]);
          if (record) memo->hits.emplace_back(via, db.rule_ids[k]);
          into.push_back(db.rule_ids[k]);
          ++profile_[db.rule_ids[k]].prefilter_hits;
          ++hits;
        }
      };
      if (!db.db.Scan(data, hs_, on_match)) Count(DetectCounters::kScanErrors);
    };
    auto visit = [&](uint32_t di, BufferId via) {
      const RuleGroup::BufferDb& db = g.dbs[di];
      if (tcp_packet && via == BufferId::kPacket) return;
      if (skip_whole_packet && via == BufferId::kPacket && db.chain == 0 && db.scan_limit == 0) return;
      scan(db, via);
    };
    // Only the databases of the buffers this inspection has (a stream chunk has one), then
    // those of buffers View() takes from the packet.
    for (const BufferId b : in.buffers->ids()) {
      if (IsPacketDerivedBuffer(b)) continue;
      const size_t bi = static_cast<size_t>(b);
      if (memo_mode_[bi] == 2) continue;  // hits from the transaction's memo
      for (uint32_t k = g.db_first[bi]; k < g.db_first[bi + 1]; ++k) visit(g.db_index[k], b);
    }
    for (const uint32_t di : g.derived_dbs) visit(di, g.dbs[di].buffer);
    if (tcp_packet) {
      for (const RuleGroup::BufferDb& db : g.tcp_packet_dbs) {
        if (reuse_stream && db.chain == 0 && db.scan_limit == 0) continue;
        const bool length_ok = db.any_length || (p.payload_len <= db.max_dsize &&
                                                 std::any_of(db.dsizes.begin(), db.dsizes.end(),
                                                             [&](const rules::IntegerMatch& d) {
                                                               return d.Matches(p.payload_len);
                                                             }));
        const bool proto_ok = db.any_proto || std::any_of(db.app_protos.begin(), db.app_protos.end(),
                                                          [&](const std::string& a) {
                                                            return AppProtoMatches(a, in.app_proto);
                                                          });
        if (length_ok && proto_ok) scan(db, db.buffer);
      }
    }
    candidates_.insert(candidates_.end(), g.always.begin(), g.always.end());
    // Header-only rules (no keyword list, so no pkt_data) never match a stream call (Evaluate).
    if (in.kind != InspectKind::kStream) g.ip_only.Lookup(p.src, p.dst, &candidates_);
  }
  if (reuse_stream) {
    for (uint32_t ri : stream_hits_) {
      const EngineRule& er = engine_.rules()[ri];
      if (er.no_stream || er.rule->dsize) candidates_.push_back(ri);
    }
  }
  if (carry != nullptr) {
    std::sort(carry_hits_.begin(), carry_hits_.end());
    carry_hits_.erase(std::unique(carry_hits_.begin(), carry_hits_.end()), carry_hits_.end());
    const auto* pkt = in.buffers->Get(BufferId::kPacket);
    const uint64_t end = in.stream_base + (pkt ? pkt->size() : 0);
    carry->Prune(in.stream_base);
    for (const StreamCarry::Entry& e : carry->entries()) candidates_.push_back(e.rule);
    candidates_.insert(candidates_.end(), carry_hits_.begin(), carry_hits_.end());
    carry->Merge(carry_hits_, end);
  }
  const bool body = in.buffers->Has(BufferId::kFileData) || in.buffers->Has(BufferId::kHttpRequestBody) ||
                    in.buffers->Has(BufferId::kHttpResponseBody);
  if (body && ((gids[0] != 0 && !groups[gids[0] - 1].flowbit_gated.empty()) ||
               (gids[1] != 0 && !groups[gids[1] - 1].flowbit_gated.empty()) ||
               (gids[2] != 0 && !groups[gids[2] - 1].flowbit_gated.empty()))) {
    AddFlowbitGated(gids, in);  // flowbit-gated rules need their body (EngineRule::gate_bits)
  }
  if (hits) Count(DetectCounters::kPrefilterHits, hits);
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());

  const auto& rules = engine_.rules();
  const bool timing = engine_.config().profile_timing;
  const uint32_t max_alerts = engine_.config().max_alerts_per_inspection;
  auto& alerts = out->mutable_alerts();
  uint64_t checked = 0;
  for (uint32_t ri : candidates_) {
    const EngineRule& er = rules[ri];
    RuleProfile& prof = profile_[ri];
    ++prof.checks;
    ++checked;
    bool matched;
    if (timing) {
      auto t0 = std::chrono::steady_clock::now();
      matched = Evaluate(er, in);
      prof.ns += static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    } else {
      matched = Evaluate(er, in);
    }
    if (!matched) continue;
    ++prof.matches;
    ApplyActions(er, in);
    const rules::Rule& r = *er.rule;
    if (r.header.action == rules::Action::kPass) {
      // Suricata: a matching pass rule ends inspection of the packet, and of the whole flow
      // when there is one.
      if (in.flow) in.flow->pass = true;
      Count(DetectCounters::kPassed);
      break;
    }
    if (r.noalert) continue;
    if (!AlertAllowed(ri, er, in)) {
      Count(DetectCounters::kAlertsSuppressed);
      continue;
    }
    if (alerts.size() >= max_alerts) {
      out->AddOverflow();
      Count(DetectCounters::kAlertQueueOverflow);
      continue;
    }
    Alert a;
    a.gid = r.meta.gid;
    a.sid = r.meta.sid;
    a.rev = r.meta.rev;
    a.severity = er.severity;
    a.action = r.header.action;
    a.action_name = IdsActionName(r.header.action);
    a.msg = r.meta.msg;
    a.category = er.category;
    a.rule = &r;
    a.rule_index = ri;
    a.buffer = er.fast_pattern ? er.fast_pattern->buffer : BufferId::kPacket;
    a.stream = in.kind == InspectKind::kStream;
    out->AddContexts(&a, scratch_.datasets.view());
    alerts.push_back(a);
    Count(DetectCounters::kAlerts);
  }
  Count(DetectCounters::kRulesChecked, checked);
  return alerts.size();
}

}  // namespace vigil::sensor
