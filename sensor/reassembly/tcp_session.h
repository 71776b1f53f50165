// TcpSession: TCP state tracking and stream reassembly for one flow (both directions).
//
// The flow table addresses flows by index; the worker keeps a parallel array of TcpSessions
// (bound once to the worker's StreamContext) and, for every TCP packet of flow i, calls
// sessions[i].OnPacket(pkt, dir, sink) with the direction the flow decided. The session validates
// the segment, tracks the handshake / teardown, and delivers each direction's bytes to the sink
// strictly in order and exactly once, with gaps reported where bytes are known to be lost. When
// the flow ends (timeout, eviction, end of a capture file) the worker calls Flush(sink), then
// Reset() before the slot is reused. Nothing here allocates per packet: out-of-order bytes go to
// the worker's ReassemblyMemory pool.
//
//   ReassemblyMemory mem(cfg);
//   StreamContext ctx{&cfg, &mem, counters};
//   auto sessions = std::make_unique<TcpSession[]>(max_flows);
//   for (size_t i = 0; i < max_flows; ++i) sessions[i].Bind(ctx);
//   ...
//   StreamVerdict v = sessions[i].OnPacket(pkt, StreamDirection::kToServer, sink);
//   if (v.has(stream_verdict::kReuse)) { sessions[i].Flush(sink); sessions[i].Reset(); /* new flow, feed again */ }
//   if (!v.has(stream_verdict::kInvalid)) /* inspect the packet */;
//   bool est = sessions[i].flow_state() == FlowTcpState::kEstablished;   // `flow:established`
#pragma once

#include <cstdint>
#include <string_view>

#include "sensor/decode/packet.h"
#include "sensor/reassembly/stream_context.h"
#include "sensor/reassembly/stream_sink.h"
#include "sensor/reassembly/tcp_stream.h"

namespace vigil::sensor {

enum class TcpState : uint8_t {
  kNone,         // no handshake seen (and not picked up midstream)
  kSynSent,      // SYN seen
  kSynRecv,      // SYN/ACK seen (or simultaneous SYNs)
  kEstablished,  // both SYNs acknowledged, or picked up midstream
  kFinWait,      // one side sent a FIN
  kClosing,      // both sides sent a FIN, not both acknowledged yet
  kTimeWait,     // both FINs sent and acknowledged
  kClosed,       // reset
};
std::string_view TcpStateName(TcpState s);

// The session as the flow and the `flow` rule keyword see it.
enum class FlowTcpState : uint8_t { kNew, kEstablished, kClosed };

namespace stream_verdict {
inline constexpr uint8_t kInvalid = 0x01;       // failed validation: not stream data, do not inspect
inline constexpr uint8_t kStateChanged = 0x02;  // TcpState changed with this packet
inline constexpr uint8_t kClosed = 0x04;        // the session closed (RST, or both FINs acknowledged)
inline constexpr uint8_t kReuse = 0x08;         // SYN with a new ISN on a closed session: the caller
                                                // should end this flow, Reset() and feed it again
inline constexpr uint8_t kNotTracked = 0x10;    // no session to put it in (handshake not seen and
                                                // midstream off): inspect as a lone packet only
}  // namespace stream_verdict

struct StreamVerdict {
  uint8_t flags = 0;
  bool has(uint8_t f) const { return (flags & f) != 0; }
};

class TcpSession {
 public:
  TcpSession() = default;
  explicit TcpSession(const StreamContext& ctx) { Bind(ctx); }
  ~TcpSession();
  // Sessions hold pointers into the pool and are addressed by slot: neither copied nor moved.
  TcpSession(const TcpSession&) = delete;
  TcpSession& operator=(const TcpSession&) = delete;

  // Attaches the session to its worker's context (once, before the first packet). Resets it.
  void Bind(const StreamContext& ctx);
  // Returns every buffer to the pool and forgets the session: ready for a new flow.
  void Reset();

  // One TCP packet of this flow, in direction dir. p must be a decoded TCP packet.
  StreamVerdict OnPacket(const Packet& p, StreamDirection dir, StreamSink& sink);
  // End of the flow: delivers what can be delivered (skipping holes) and ends both directions.
  void Flush(StreamSink& sink);

  TcpState state() const { return state_; }
  FlowTcpState flow_state() const;
  bool midstream() const { return midstream_; }
  const TcpStream& stream(StreamDirection d) const { return streams_[Index(d)]; }
  // Out-of-order bytes (pool buffers) this session holds, counted against session_memcap.
  uint64_t ooo_bytes() const { return ooo_bytes_; }

 private:
  static int Index(StreamDirection d) { return d == StreamDirection::kToServer ? 0 : 1; }
  StreamEnv Env(StreamDirection d, StreamSink& sink) {
    return StreamEnv{*ctx_, sink, d, ooo_bytes_};
  }
  StreamVerdict Process(const Packet& p, StreamDirection dir, StreamSink& sink);
  bool StartSession(const Packet& p, StreamDirection dir, StreamSink& sink, StreamVerdict& v);
  StreamVerdict HandleRst(const Packet& p, StreamDirection dir, StreamSink& sink);
  StreamVerdict HandleSyn(const Packet& p, StreamDirection dir, StreamSink& sink);
  StreamVerdict HandleSegment(const Packet& p, StreamDirection dir, StreamSink& sink);
  StreamVerdict Invalid(const StreamEnv& env);
  static void TakeSynOptions(TcpStream& s, const TcpInfo& t, uint32_t payload_len);
  void UpdateState();

  const StreamContext* ctx_ = nullptr;
  TcpStream streams_[2];  // [0] to server, [1] to client
  uint64_t ooo_bytes_ = 0;
  TcpState state_ = TcpState::kNone;
  bool midstream_ = false;
  bool simultaneous_ = false;
  bool closed_by_rst_ = false;
};

}  // namespace vigil::sensor
