#include "tools/synth/tcp_conversation.h"

#include <algorithm>

namespace vigil::synth {
namespace {

constexpr int64_t kMicro = 1'000;
constexpr int64_t kMilli = 1'000'000;
constexpr uint32_t kInitialCwnd = 10;  // segments (RFC 6928)
constexpr uint32_t kMaxCwnd = 256;
constexpr size_t kTimestampOptionBytes = 12;

}  // namespace

TcpProfile TcpProfile::Random(Rng& rng, uint16_t mss) {
  TcpProfile p;
  // Round trips from a LAN service (under 1 ms) to another continent (~200 ms).
  static constexpr int64_t kRttBuckets[][2] = {{300 * kMicro, 2 * kMilli}, {2 * kMilli, 20 * kMilli},
                                               {20 * kMilli, 80 * kMilli}, {80 * kMilli, 220 * kMilli}};
  const auto& b = kRttBuckets[rng.Below(4)];
  p.rtt_ns = static_cast<int64_t>(rng.Range(static_cast<uint64_t>(b[0]), static_cast<uint64_t>(b[1])));
  static constexpr uint64_t kRates[] = {10'000'000, 50'000'000, 100'000'000, 1'000'000'000};
  p.bits_per_second = rng.Pick(kRates);
  p.client_stack = rng.Chance(0.35) ? TcpStack::kWindows : TcpStack::kLinux;
  p.server_stack = rng.Chance(0.2) ? TcpStack::kWindows : TcpStack::kLinux;
  p.mss = mss;
  p.client_ttl = p.client_stack == TcpStack::kWindows ? 128 : 64;
  const uint8_t initial = p.server_stack == TcpStack::kWindows ? 128 : 64;
  p.server_ttl = static_cast<uint8_t>(initial - rng.Range(4, 22));  // hops to the capture point
  return p;
}

TcpConversation::TcpConversation(PacketBuilder& builder, const Impairments& impair,
                                 FlowPackets& out, FlowTruth& truth, Rng& rng,
                                 const TcpEndpoints& ends, const TcpProfile& profile,
                                 int64_t start_ns)
    : builder_(builder), impair_(impair), out_(out), truth_(truth), rng_(rng), profile_(profile),
      start_ns_(start_ns), now_(start_ns) {
  // Windows does not use timestamps unless configured to; Linux always offers them.
  timestamps_ = profile.client_stack == TcpStack::kLinux;
  payload_per_segment_ = profile.mss - (timestamps_ ? kTimestampOptionBytes : 0);

  client_.route = {ends.client.mac, ends.server.mac, ends.client.ip, ends.server.ip, profile.client_ttl};
  server_.route = {ends.server.mac, ends.client.mac, ends.server.ip, ends.client.ip, profile.server_ttl};
  client_.port = ends.client_port;
  server_.port = ends.server_port;
  client_.stack = profile.client_stack;
  server_.stack = profile.server_stack;
  for (Side* s : {&client_, &server_}) {
    s->isn = static_cast<uint32_t>(rng.Next());
    s->ts_base = static_cast<uint32_t>(rng.Next());
    s->ip_id = static_cast<uint32_t>(rng.Next());
    s->flow_label = static_cast<uint32_t>(rng.Below(1u << 20));
    s->wscale = s->stack == TcpStack::kWindows ? 8 : 7;
    s->syn_window = s->stack == TcpStack::kWindows ? 64240 : (s == &client_ ? 64240 : 65160);
    s->window = static_cast<uint16_t>(rng.Range(250, 2050));
  }
  truth_.proto = "tcp";
  truth_.client_ip = ends.client.ip;
  truth_.client_port = ends.client_port;
  truth_.server_ip = ends.server.ip;
  truth_.server_port = ends.server_port;
}

bool TcpConversation::Side::Receive(uint64_t start, uint64_t end) {
  if (start > rcv_next) {
    out_of_order.emplace_back(start, end);
    return false;
  }
  rcv_next = std::max(rcv_next, end);
  // Pull in held segments the new data reached.
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < out_of_order.size(); ++i) {
      if (out_of_order[i].first <= rcv_next) {
        rcv_next = std::max(rcv_next, out_of_order[i].second);
        out_of_order.erase(out_of_order.begin() + static_cast<std::ptrdiff_t>(i));
        merged = true;
        break;
      }
    }
  }
  return true;
}

int64_t TcpConversation::ReactionDelay(Direction who_sends) {
  if (who_sends == Direction::kToClient) {
    return profile_.rtt_ns + static_cast<int64_t>(rng_.Range(20 * kMicro, 300 * kMicro));
  }
  return static_cast<int64_t>(rng_.Range(15 * kMicro, 250 * kMicro));
}

void TcpConversation::ServerTurn() {
  now_ += profile_.rtt_ns + static_cast<int64_t>(rng_.LogRange(100 * kMicro, 40 * kMilli));
}

void TcpConversation::ClientTurn() {
  now_ += static_cast<int64_t>(rng_.Range(30 * kMicro, 600 * kMicro));
}

int TcpConversation::FragmentCount() {
  return rng_.Chance(impair_.fragment) ? 2 + static_cast<int>(rng_.Below(2)) : 1;
}

int64_t TcpConversation::Emit(Direction dir, int64_t ts, uint64_t rel_seq, uint8_t flags,
                           std::span<const uint8_t> payload, int fragments, bool retransmission) {
  Side& me = sender(dir);
  Side& peer = receiver(dir);
  if (!retransmission) {
    ts = std::max(ts, me.last_ts);
    me.last_ts = ts;
  }
  me.last_any_ts = std::max(me.last_any_ts, ts);
  TcpSegment seg;
  seg.src_port = me.port;
  seg.dst_port = peer.port;
  const bool syn = (flags & kTcpSyn) != 0;
  // Relative offsets are 64-bit; the wire carries them modulo 2^32 from the ISN, so long
  // streams wrap around naturally.
  seg.seq = syn ? me.isn : me.isn + 1 + static_cast<uint32_t>(rel_seq);
  seg.ack = (flags & kTcpAck) ? peer.isn + 1 + static_cast<uint32_t>(me.rcv_next) : 0;
  seg.flags = flags;
  seg.window = syn ? me.syn_window : ((flags & kTcpRst) ? 0 : me.window);
  const uint32_t tsval = me.ts_base + static_cast<uint32_t>((ts - start_ns_) / kMilli);
  if (syn) {
    const bool with_ts = timestamps_;
    seg.options = TcpOptionList::Syn(me.stack, profile_.mss, me.wscale, with_ts, tsval,
                                     (flags & kTcpAck) ? me.echo : 0);
  } else if (timestamps_ && !(flags & kTcpRst)) {
    seg.options = TcpOptionList::Timestamps(tsval, me.echo);
  }
  peer.echo = tsval;
  const IpFields ip{me.ip_id++, fragments == 1, me.flow_label};
  const FrameCount fc = builder_.Tcp(out_, ts, me.route, ip, seg, payload, fragments);
  truth_.Count(dir, fc, ts);
  return ts;
}

void TcpConversation::Connect() {
  int64_t t = Emit(Direction::kToServer, now_, 0, kTcpSyn, {});
  t = Emit(Direction::kToClient, t + ReactionDelay(Direction::kToClient), 0, kTcpSyn | kTcpAck, {});
  now_ = Emit(Direction::kToServer, t + ReactionDelay(Direction::kToServer), 0, kTcpAck, {});
}

void TcpConversation::Send(Direction dir, std::span<const uint8_t> data) {
  if (data.empty()) return;
  Side& me = sender(dir);
  Side& peer = receiver(dir);
  me.hash.Update(data);
  const uint64_t base = me.next_seq;
  const uint64_t mss = payload_per_segment_;

  // 1. Cut the data into segments; an overlapping segment starts inside its predecessor.
  pieces_.clear();
  uint64_t pos = 0;
  while (pos < data.size()) {
    uint64_t start = pos;
    if (!pieces_.empty() && rng_.Chance(impair_.overlap)) {
      const uint64_t max_back = std::min(pieces_.back().len, mss - 1);
      start = pos - (1 + rng_.Below(max_back));
    }
    const uint64_t len = std::min<uint64_t>(mss, data.size() - start);
    pieces_.push_back({start, len});
    pos = start + len;
  }
  // 2. Order of emission: a reordered segment swaps with its successor.
  order_.resize(pieces_.size());
  for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
  for (size_t i = 0; i + 1 < order_.size(); ++i) {
    if (rng_.Chance(impair_.reorder)) {
      std::swap(order_[i], order_[i + 1]);
      ++i;
    }
  }
  // 3. Emit, paced by the link rate and a slow-start congestion window.
  const Direction ack_dir = Reverse(dir);
  const size_t header_bytes = builder_.HeaderBytes(me.route.src) + 20 + (timestamps_ ? 12 : 0);
  int64_t t = now_;
  int64_t flight_start = t;
  uint32_t cwnd = kInitialCwnd;
  uint32_t in_flight = 0;
  for (size_t k = 0; k < order_.size(); ++k) {
    const Piece& p = pieces_[order_[k]];
    const auto payload = data.subspan(p.start, p.len);
    const uint8_t flags = kTcpAck | (order_[k] + 1 == pieces_.size() ? kTcpPsh : 0);
    t = Emit(dir, t, base + p.start, flags, payload, FragmentCount());
    const bool in_order = peer.Receive(base + p.start, base + p.start + p.len);
    ++peer.unacked;
    if (!in_order || peer.unacked >= 2 || k + 1 == order_.size()) {
      // Receivers ACK every second segment at once and out-of-order data immediately (dup ACK).
      Emit(ack_dir, t + ReactionDelay(ack_dir), peer.next_seq, kTcpAck, {});
      peer.unacked = 0;
    }
    if (rng_.Chance(impair_.retransmit)) {
      const int64_t rto = std::max<int64_t>(profile_.rtt_ns, kMilli);
      Emit(dir, t + static_cast<int64_t>(rng_.Range(200 * kMicro, static_cast<uint64_t>(rto))),
           base + p.start, flags, payload, FragmentCount(), /*retransmission=*/true);
    }
    t += static_cast<int64_t>((header_bytes + p.len) * 8'000'000'000ull / profile_.bits_per_second);
    if (++in_flight >= cwnd) {
      // The window is full: wait for the first ACK of the flight to come back.
      t = std::max(t, flight_start + profile_.rtt_ns);
      flight_start = t;
      in_flight = 0;
      cwnd = std::min(cwnd * 2, kMaxCwnd);
    }
  }
  me.next_seq = base + data.size();
  now_ = t;
}

void TcpConversation::Close(Direction initiator) {
  const Direction other = Reverse(initiator);
  Side& a = sender(initiator);
  Side& b = sender(other);
  int64_t t = Emit(initiator, std::max(now_, a.last_any_ts), a.next_seq, kTcpFin | kTcpAck, {});
  a.next_seq += 1;
  b.rcv_next = a.next_seq;  // all data arrived by now; the FIN takes one sequence number
  b.out_of_order.clear();
  t = Emit(other, std::max(t + ReactionDelay(other), b.last_any_ts), b.next_seq, kTcpFin | kTcpAck, {});
  b.next_seq += 1;
  a.rcv_next = b.next_seq;
  a.out_of_order.clear();
  now_ = Emit(initiator, t + ReactionDelay(initiator), a.next_seq, kTcpAck, {});
}

void TcpConversation::Abort(Direction dir) {
  Emit(dir, std::max(now_, sender(dir).last_any_ts), sender(dir).next_seq, kTcpRst | kTcpAck, {});
}

void TcpConversation::Finish() {
  truth_.c2s_stream.length = client_.hash.length();
  truth_.c2s_stream.sha256 = client_.hash.FinishHex();
  truth_.s2c_stream.length = server_.hash.length();
  truth_.s2c_stream.sha256 = server_.hash.FinishHex();
}

}  // namespace vigil::synth
