#include "sensor/reassembly/tcp_session.h"

#include <algorithm>

namespace vigil::sensor {

namespace {

constexpr uint8_t kMaxWscale = 14;  // RFC 7323
// Used when the handshake was not seen: the real shift is unknown, so assume the largest one
// and keep window checks loose rather than drop real traffic.
constexpr uint8_t kUnknownShift = kMaxWscale;

}  // namespace

void TcpSession::TakeSynOptions(TcpStream& s, const TcpInfo& t, uint32_t payload_len) {
  s.has_wscale_ = t.has_wscale;
  s.wscale_ = std::min<uint8_t>(t.wscale, kMaxWscale);
  s.syn_data_len_ = payload_len;
}

std::string_view TcpStateName(TcpState s) {
  switch (s) {
    case TcpState::kNone: return "none";
    case TcpState::kSynSent: return "syn_sent";
    case TcpState::kSynRecv: return "syn_recv";
    case TcpState::kEstablished: return "established";
    case TcpState::kFinWait: return "fin_wait";
    case TcpState::kClosing: return "closing";
    case TcpState::kTimeWait: return "time_wait";
    case TcpState::kClosed: return "closed";
  }
  return "?";
}

TcpSession::~TcpSession() {
  if (ctx_ != nullptr) Reset();
}

void TcpSession::Bind(const StreamContext& ctx) {
  if (ctx_ != nullptr) Reset();  // buffers go back to the old pool first
  ctx_ = &ctx;
  Reset();
}

void TcpSession::Reset() {
  for (TcpStream& s : streams_) s.Reset(ctx_->memory, ctx_->config->overlap_check_bytes);
  ooo_bytes_ = 0;
  state_ = TcpState::kNone;
  midstream_ = false;
  simultaneous_ = false;
  closed_by_rst_ = false;
}

FlowTcpState TcpSession::flow_state() const {
  switch (state_) {
    case TcpState::kNone:
    case TcpState::kSynSent:
    case TcpState::kSynRecv:
      return FlowTcpState::kNew;
    case TcpState::kEstablished:
    case TcpState::kFinWait:
    case TcpState::kClosing:
      return FlowTcpState::kEstablished;
    case TcpState::kTimeWait:
    case TcpState::kClosed:
      return FlowTcpState::kClosed;
  }
  return FlowTcpState::kNew;
}

StreamVerdict TcpSession::Invalid(const StreamEnv& env) {
  env.Count(TcpCounter::kInvalid);
  return StreamVerdict{stream_verdict::kInvalid};
}

StreamVerdict TcpSession::OnPacket(const Packet& p, StreamDirection dir, StreamSink& sink) {
  const TcpState before = state_;
  StreamVerdict v = Process(p, dir, sink);
  if (state_ != before) {
    v.flags |= stream_verdict::kStateChanged;
    if (flow_state() == FlowTcpState::kClosed) v.flags |= stream_verdict::kClosed;
  }
  return v;
}

void TcpSession::Flush(StreamSink& sink) {
  for (StreamDirection d : {StreamDirection::kToServer, StreamDirection::kToClient}) {
    streams_[Index(d)].Flush(Env(d, sink), EndReason::kFlush);
  }
}

StreamVerdict TcpSession::Process(const Packet& p, StreamDirection dir, StreamSink& sink) {
  const StreamEnv ex = Env(dir, sink);
  const TcpInfo& t = p.tcp;
  const uint8_t f = t.flags;
  if (p.payload_len > 0 && p.payload == nullptr) return Invalid(ex);
  if ((f & tcp_flag::kAck) == 0 && (f & tcp_flag::kRst) == 0 && t.ack != 0) {
    ex.Raise(StreamEvent::kPktBrokenAck);
  }
  if ((f & tcp_flag::kSyn) != 0 && (f & tcp_flag::kFin) != 0) {
    ex.Raise(StreamEvent::kFinSyn);
    return Invalid(ex);
  }
  if ((f & tcp_flag::kSyn) != 0 && (f & tcp_flag::kRst) != 0) return Invalid(ex);

  if (state_ == TcpState::kNone) {
    StreamVerdict v;
    if (!StartSession(p, dir, sink, v)) return v;
  }
  if ((f & tcp_flag::kRst) != 0) return HandleRst(p, dir, sink);
  if (state_ == TcpState::kClosed || state_ == TcpState::kTimeWait) {
    const TcpStream& x = streams_[Index(dir)];
    if ((f & (tcp_flag::kSyn | tcp_flag::kAck)) == tcp_flag::kSyn &&
        (!x.isn_known_ || t.seq != x.isn_)) {
      ex.Count(TcpCounter::kReused);
      return StreamVerdict{stream_verdict::kReuse};
    }
    if (closed_by_rst_) {
      // The endpoints keep talking after a RST: the RST most likely never reached them.
      if (p.payload_len > 0) ex.Raise(StreamEvent::kSuspectedRstInject);
      return Invalid(ex);
    }
  }
  if ((f & tcp_flag::kSyn) != 0) return HandleSyn(p, dir, sink);
  return HandleSegment(p, dir, sink);
}

// First packet of a flow. Returns false when the packet is fully handled (v set).
bool TcpSession::StartSession(const Packet& p, StreamDirection dir, StreamSink& sink,
                              StreamVerdict& v) {
  const StreamEnv ex = Env(dir, sink);
  const TcpInfo& t = p.tcp;
  const uint8_t f = t.flags;
  TcpStream& x = streams_[Index(dir)];
  TcpStream& y = streams_[Index(Opposite(dir))];
  if ((f & (tcp_flag::kSyn | tcp_flag::kAck)) == tcp_flag::kSyn) {
    ex.Count(TcpCounter::kSessions);
    ex.Count(TcpCounter::kSyn);
    x.StartIsn(t.seq);
    TakeSynOptions(x, t, p.payload_len);
    state_ = TcpState::kSynSent;
    x.AddData(ex, t.seq + 1, p.payload, p.payload_len);  // TCP Fast Open data
    return false;
  }
  if ((f & tcp_flag::kRst) != 0 || !ctx_->config->midstream) {
    if (p.payload_len > 0) ex.Count(TcpCounter::kNotReassembled);
    v.flags |= stream_verdict::kNotTracked;
    return false;
  }
  ex.Count(TcpCounter::kSessions);
  ex.Count(TcpCounter::kMidstreamPickups);
  midstream_ = true;
  x.wshift_ = kUnknownShift;
  y.wshift_ = kUnknownShift;
  if ((f & tcp_flag::kSyn) != 0) {  // SYN/ACK: the client's SYN was missed
    ex.Count(TcpCounter::kSynAck);
    x.StartIsn(t.seq);
    TakeSynOptions(x, t, p.payload_len);
    y.StartAt(t.ack);
    y.syn_acked_ = true;
    y.peer_window_ = t.window;  // windows in SYN segments are never scaled
    y.OnAck(Env(Opposite(dir), sink), 0);
    state_ = TcpState::kSynRecv;
    x.AddData(ex, t.seq + 1, p.payload, p.payload_len);
    return false;
  }
  x.StartAt(t.seq);
  x.syn_acked_ = true;
  y.syn_acked_ = true;
  state_ = TcpState::kEstablished;
  return true;  // the packet itself is handled as an ordinary segment
}

StreamVerdict TcpSession::HandleRst(const Packet& p, StreamDirection dir, StreamSink& sink) {
  const StreamEnv ex = Env(dir, sink);
  const TcpInfo& t = p.tcp;
  const TcpStream& x = streams_[Index(dir)];
  const TcpStream& y = streams_[Index(Opposite(dir))];
  ex.Count(TcpCounter::kRst);
  if (state_ == TcpState::kClosed) return Invalid(ex);
  bool valid = false;
  if (x.started_) {
    // Loose RFC 793 check: the RST's sequence number lies within a window of what was sent.
    const int64_t w = static_cast<int64_t>(
        std::max<uint64_t>(x.peer_window_, ctx_->config->window_slack));
    const int64_t s = x.ToOffset(t.seq);
    const int64_t hi = std::max<int64_t>(static_cast<int64_t>(x.max_end_),
                                         x.peer_ack_known_ ? x.peer_ack_off_ : 0);
    valid = s >= static_cast<int64_t>(x.offset_) - w && s <= hi + w + 1;
  } else if ((t.flags & tcp_flag::kAck) != 0 && y.isn_known_) {
    // RST answering a SYN (nothing listening): it must acknowledge that SYN.
    const int64_t a = y.ToOffset(t.ack);
    valid = a >= 0 && a <= static_cast<int64_t>(y.max_end_);
  }
  if (!valid) {
    ex.Raise(StreamEvent::kRstInvalidAck);
    return Invalid(ex);
  }
  closed_by_rst_ = true;
  state_ = TcpState::kClosed;
  for (StreamDirection d : {StreamDirection::kToServer, StreamDirection::kToClient}) {
    streams_[Index(d)].Flush(Env(d, sink), EndReason::kRst);
  }
  return {};
}

StreamVerdict TcpSession::HandleSyn(const Packet& p, StreamDirection dir, StreamSink& sink) {
  const StreamEnv ex = Env(dir, sink);
  const StreamEnv ey = Env(Opposite(dir), sink);
  const TcpInfo& t = p.tcp;
  TcpStream& x = streams_[Index(dir)];
  TcpStream& y = streams_[Index(Opposite(dir))];
  const bool established = state_ >= TcpState::kEstablished;

  if ((t.flags & tcp_flag::kAck) == 0) {  // SYN
    ex.Count(TcpCounter::kSyn);
    if (x.isn_known_) {
      if (t.seq == x.isn_) {  // retransmitted SYN; its data (if any) is a retransmission too
        x.AddData(ex, t.seq + 1, p.payload, p.payload_len);
        return {};
      }
      ex.Raise(established ? StreamEvent::kEstSynResendDiffSeq
                           : StreamEvent::k3whsSynResendDiffSeqOnSynRecv);
      return Invalid(ex);
    }
    if (x.started_ || state_ != TcpState::kSynSent) {
      ex.Raise(StreamEvent::kEstSynResendDiffSeq);
      return Invalid(ex);
    }
    // Simultaneous open: both sides sent a SYN.
    simultaneous_ = true;
    x.StartIsn(t.seq);
    TakeSynOptions(x, t, p.payload_len);
    state_ = TcpState::kSynRecv;
    x.AddData(ex, t.seq + 1, p.payload, p.payload_len);
    return {};
  }

  // SYN/ACK
  ex.Count(TcpCounter::kSynAck);
  if (!y.isn_known_) {  // the peer never sent a SYN
    ex.Raise(StreamEvent::k3whsSynackInWrongDirection);
    return Invalid(ex);
  }
  const int64_t a = y.ToOffset(t.ack);
  if (a < 0 || a > static_cast<int64_t>(y.syn_data_len_)) {
    ex.Raise(simultaneous_ ? StreamEvent::k4whsSynackWithWrongAck
                           : StreamEvent::k3whsSynackWithWrongAck);
    return Invalid(ex);
  }
  if (x.isn_known_) {
    if (t.seq != x.isn_) {
      ex.Raise(established ? StreamEvent::kEstSynackResendWithDiffSeq
                           : StreamEvent::k3whsSynackResendWithDiffSeq);
      return Invalid(ex);
    }
  } else if (x.started_) {
    ex.Raise(StreamEvent::kEstSynackResendWithDiffSeq);
    return Invalid(ex);
  } else {
    x.StartIsn(t.seq);
    TakeSynOptions(x, t, p.payload_len);
  }
  y.syn_acked_ = true;
  // Window scaling is on only when both SYNs carried the option (RFC 7323).
  const bool scaling = x.has_wscale_ && y.has_wscale_;
  x.wshift_ = scaling ? x.wscale_ : 0;
  y.wshift_ = scaling ? y.wscale_ : 0;
  y.peer_window_ = std::max<uint64_t>(y.peer_window_, t.window);  // SYN windows are unscaled
  x.AddData(ex, t.seq + 1, p.payload, p.payload_len);
  y.OnAck(ey, a);
  if (state_ == TcpState::kSynSent) state_ = TcpState::kSynRecv;
  UpdateState();
  return {};
}

StreamVerdict TcpSession::HandleSegment(const Packet& p, StreamDirection dir, StreamSink& sink) {
  const StreamEnv ex = Env(dir, sink);
  const StreamEnv ey = Env(Opposite(dir), sink);
  const ReassemblyConfig& cfg = *ctx_->config;
  const TcpInfo& t = p.tcp;
  const uint8_t f = t.flags;
  const uint32_t plen = p.payload_len;
  TcpStream& x = streams_[Index(dir)];
  TcpStream& y = streams_[Index(Opposite(dir))];

  if (!x.started_) {
    if (!cfg.midstream) {  // e.g. the SYN/ACK was missed and the server speaks first
      if (plen > 0) ex.Count(TcpCounter::kNotReassembled);
      return StreamVerdict{stream_verdict::kNotTracked};
    }
    x.StartAt(t.seq);
    x.wshift_ = kUnknownShift;
    x.syn_acked_ = true;
  }

  if ((f & tcp_flag::kAck) != 0) {
    if (!y.started_) {
      if (state_ == TcpState::kSynSent && x.isn_known_) {
        // The SYN/ACK was not captured, but this ACK says what its ISN was.
        y.StartIsn(t.ack - 1);
        y.syn_acked_ = true;
        x.syn_acked_ = true;
        y.wshift_ = kUnknownShift;
        x.wshift_ = x.has_wscale_ ? x.wscale_ : 0;
      }
    } else {
      const int64_t a = y.ToOffset(t.ack);
      if (!y.syn_acked_) {
        if (a < 0) {  // does not acknowledge the SYN/ACK
          ex.Raise(StreamEvent::k3whsWrongSeqWrongAck);
          return Invalid(ex);
        }
        y.syn_acked_ = true;
      }
      // An ACK for bytes the peer cannot have sent (even counting packets we missed).
      const int64_t slack =
          static_cast<int64_t>(std::max<uint64_t>(y.peer_window_, cfg.window_slack));
      if (a > static_cast<int64_t>(std::max(y.max_end_, y.offset_)) + 1 + slack) {
        ex.Raise(StreamEvent::kPktInvalidAck);
        return Invalid(ex);
      }
    }
  }

  if (plen > 0 || (f & tcp_flag::kFin) != 0) {
    const int64_t s = x.ToOffset(t.seq);
    const int64_t e = s + plen;
    bool in_window;
    if (x.peer_ack_known_) {
      const int64_t right = x.peer_ack_off_ + static_cast<int64_t>(x.peer_window_) +
                            static_cast<int64_t>(cfg.window_slack);
      in_window = e <= right;
    } else {  // the receiver has not spoken yet: only refuse the absurd
      in_window = e - static_cast<int64_t>(x.offset_) <= (int64_t{1} << 30);
    }
    if (!in_window) {
      ex.Raise(plen == 0 ? StreamEvent::kFinOutOfWindow : StreamEvent::kEstPacketOutOfWindow);
      return Invalid(ex);
    }
    if ((f & tcp_flag::kFin) != 0) {
      // The FIN takes the sequence number after the payload; it may not end the stream before
      // bytes already seen or delivered, and it may not move once seen.
      const bool bad = e < 0 || (x.fin_seen_ ? static_cast<uint64_t>(e) != x.fin_off_
                                             : static_cast<uint64_t>(e) < x.max_end_ ||
                                                   static_cast<uint64_t>(e) < x.offset_);
      if (bad) {
        ex.Raise(StreamEvent::kFinOutOfWindow);
        return Invalid(ex);
      }
      x.fin_seen_ = true;
      x.fin_off_ = static_cast<uint64_t>(e);
    }
  }

  // This side's window limits what the other side may send.
  if ((f & tcp_flag::kAck) != 0) y.peer_window_ = static_cast<uint64_t>(t.window) << x.wshift_;

  x.AddData(ex, t.seq, p.payload, plen);
  if ((f & tcp_flag::kAck) != 0 && y.started_) y.OnAck(ey, y.ToOffset(t.ack));
  x.MaybeEnd(ex);
  UpdateState();
  return {};
}

void TcpSession::UpdateState() {
  if (state_ == TcpState::kClosed || state_ == TcpState::kNone) return;
  const TcpStream& a = streams_[0];
  const TcpStream& b = streams_[1];
  if (state_ < TcpState::kEstablished) {
    if (a.started_ && b.started_ && a.syn_acked_ && b.syn_acked_) {
      state_ = TcpState::kEstablished;
    } else {
      return;
    }
  }
  if (a.fin_seen_ && b.fin_seen_) {
    state_ = a.fin_acked_ && b.fin_acked_ ? TcpState::kTimeWait : TcpState::kClosing;
  } else if (a.fin_seen_ || b.fin_seen_) {
    state_ = TcpState::kFinWait;
  }
}

}  // namespace vigil::sensor
