// TcpStream: one direction of a TCP session — sequence tracking and in-order reassembly.
//
// A TcpSession owns two and drives them; nothing else should. Sequence numbers are turned into
// 64-bit stream offsets at the entry (offset 0 = first data byte), so wraparound at 2^32 is
// handled in one place (ToOffset) and everything after it works on plain integers.
//
// Reassembly model:
//  - bytes at the next expected offset are delivered at once (zero copy, from the packet);
//  - bytes ahead of a hole go into a sorted list of non-overlapping pool chunks; overlaps with it
//    are resolved by the overlap policy and compared (different bytes -> anomaly);
//  - bytes before the next expected offset were already delivered: they are compared with the
//    retained copy (last overlap_check_bytes, until ACKed) and counted as a retransmission;
//  - holes are skipped (OnGap) when the receiver ACKs past them, on RST and on Flush.
#pragma once

#include <cstdint>

#include "sensor/reassembly/reassembly_memory.h"
#include "sensor/reassembly/stream_context.h"
#include "sensor/reassembly/stream_sink.h"

namespace vigil::sensor {

class TcpSession;

// Per-call environment of a stream: the worker context, the sink, the direction, and the
// session-wide count of out-of-order bytes held (for the session memcap).
struct StreamEnv {
  const StreamContext& ctx;
  StreamSink& sink;
  StreamDirection dir;
  uint64_t& session_ooo_bytes;

  void Raise(StreamEvent e) const {
    ctx.counters.Add(e);
    sink.OnEvent(dir, e);
  }
  void Count(TcpCounter c, uint64_t n = 1) const { ctx.counters.Add(c, n); }
};

class TcpStream {
 public:
  TcpStream() = default;
  TcpStream(const TcpStream&) = delete;

  // Frees every buffer back to the pool and forgets all state; later buffers come from mem.
  // retain_cap: delivered bytes to keep for overlap checks (config.overlap_check_bytes).
  void Reset(ReassemblyMemory* mem, uint32_t retain_cap);

  // The sender's SYN was seen: data starts at isn + 1.
  void StartIsn(uint32_t isn);
  // Midstream pickup: data starts at seq.
  void StartAt(uint32_t seq);

  bool started() const { return started_; }
  bool isn_known() const { return isn_known_; }
  uint32_t isn() const { return isn_; }
  bool ended() const { return ended_; }
  bool depth_reached() const { return depth_reached_; }
  // Stream offset of the next byte to deliver (everything before it was delivered or gapped).
  uint64_t delivered_offset() const { return offset_; }
  // Sequence number of that byte.
  uint32_t next_seq() const { return base_seq_; }
  uint32_t ooo_chunks() const { return ooo_count_; }
  uint64_t retained_bytes() const { return retained_bytes_; }

  // Stream offset of a sequence number, assuming it lies within 2^31 of the delivery point.
  int64_t ToOffset(uint32_t seq) const {
    return static_cast<int64_t>(offset_) + static_cast<int32_t>(seq - base_seq_);
  }

  // The segment's payload. Delivers what became contiguous.
  void AddData(const StreamEnv& env, uint32_t seq, const uint8_t* data, uint32_t len);
  // The receiver acknowledged everything before ack_off: releases retained bytes, and skips
  // holes the receiver has evidently filled from packets we did not see.
  void OnAck(const StreamEnv& env, int64_t ack_off);
  // Delivers what can be delivered, skipping holes, then ends the stream.
  void Flush(const StreamEnv& env, EndReason reason);
  // Ends the stream if everything up to the FIN was delivered.
  void MaybeEnd(const StreamEnv& env);

 private:
  friend class TcpSession;
  // Only Reset() assigns (a fresh value, after every buffer was freed).
  TcpStream& operator=(const TcpStream&) = default;

  void DeliverInOrder(const StreamEnv& env, const uint8_t* data, uint32_t len);
  void InsertOoo(const StreamEnv& env, uint64_t start, const uint8_t* data, uint32_t len);
  void DrainOoo(const StreamEnv& env);
  void Emit(const StreamEnv& env, const uint8_t* data, uint32_t len);
  void Gap(const StreamEnv& env, uint64_t len);
  void SkipTo(const StreamEnv& env, uint64_t limit);
  void End(const StreamEnv& env, EndReason reason);
  bool CompareDelivered(uint64_t start, const uint8_t* data, uint64_t len) const;
  void Retain(const uint8_t* data, uint32_t len);
  void ReleaseRetained(uint64_t upto);
  void AppendRetained(Chunk* c);
  void TrimRetained();
  void FreeOoo(uint64_t* session_ooo_bytes);
  void FreeRetained();
  Chunk* PopOooHead(const StreamEnv& env);
  void CheckDepth(const StreamEnv& env);

  ReassemblyMemory* mem_ = nullptr;
  uint32_t retain_cap_ = 0;

  // ---- sequence space ----
  bool started_ = false;
  bool isn_known_ = false;
  uint32_t isn_ = 0;
  uint32_t base_seq_ = 0;   // sequence number of offset_
  uint64_t offset_ = 0;     // next offset to deliver
  uint64_t max_end_ = 0;    // highest end offset seen in a segment

  // ---- tracking used by TcpSession ----
  bool syn_acked_ = false;       // the peer acknowledged this side's SYN
  bool has_wscale_ = false;      // window scale option in this side's SYN
  uint8_t wscale_ = 0;
  uint8_t wshift_ = 0;           // shift applied to this side's advertised windows
  uint32_t syn_data_len_ = 0;    // TCP Fast Open data on the SYN
  bool peer_ack_known_ = false;  // the receiver's ACK / window for this direction
  int64_t peer_ack_off_ = 0;
  uint64_t peer_window_ = 0;     // scaled window the receiver advertised
  bool fin_seen_ = false;
  bool fin_acked_ = false;
  uint64_t fin_off_ = 0;         // offset of the FIN (= end of data)

  // ---- reassembly ----
  bool ended_ = false;
  bool depth_reached_ = false;
  Chunk* ooo_head_ = nullptr;  // sorted, non-overlapping, all at offsets > offset_
  Chunk* ooo_tail_ = nullptr;
  uint32_t ooo_count_ = 0;
  Chunk* ret_head_ = nullptr;  // delivered bytes [ret_start_, offset_), contiguous, for overlap checks
  Chunk* ret_tail_ = nullptr;
  uint64_t retained_bytes_ = 0;
};

}  // namespace vigil::sensor
