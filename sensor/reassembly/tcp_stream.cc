#include "sensor/reassembly/tcp_stream.h"

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

void TcpStream::Reset(ReassemblyMemory* mem, uint32_t retain_cap) {
  if (mem_ != nullptr) {
    FreeOoo(nullptr);
    FreeRetained();
  }
  *this = TcpStream();
  mem_ = mem;
  retain_cap_ = retain_cap;
}

void TcpStream::StartIsn(uint32_t isn) {
  isn_known_ = true;
  isn_ = isn;
  StartAt(isn + 1);
}

void TcpStream::StartAt(uint32_t seq) {
  started_ = true;
  base_seq_ = seq;
  offset_ = 0;
  max_end_ = 0;
}

// ---- buffers ----

Chunk* TcpStream::PopOooHead(const StreamEnv& env) {
  Chunk* c = ooo_head_;
  ooo_head_ = c->next;
  if (ooo_head_ == nullptr) ooo_tail_ = nullptr;
  c->next = nullptr;
  --ooo_count_;
  env.session_ooo_bytes -= mem_->chunk_size();
  return c;
}

void TcpStream::FreeOoo(uint64_t* session_ooo_bytes) {
  while (ooo_head_ != nullptr) {
    Chunk* c = ooo_head_;
    ooo_head_ = c->next;
    if (session_ooo_bytes != nullptr) *session_ooo_bytes -= mem_->chunk_size();
    mem_->Free(c);
  }
  ooo_tail_ = nullptr;
  ooo_count_ = 0;
}

void TcpStream::FreeRetained() {
  while (ret_head_ != nullptr) {
    Chunk* c = ret_head_;
    ret_head_ = c->next;
    mem_->Free(c);
  }
  ret_tail_ = nullptr;
  retained_bytes_ = 0;
}

void TcpStream::ReleaseRetained(uint64_t upto) {
  while (ret_head_ != nullptr && ret_head_->end() <= upto) {
    Chunk* c = ret_head_;
    ret_head_ = c->next;
    retained_bytes_ -= c->len;
    mem_->Free(c);
  }
  if (ret_head_ == nullptr) ret_tail_ = nullptr;
}

// Keeps at least overlap_check_bytes (when available) and at most one chunk more.
void TcpStream::TrimRetained() {
  const uint64_t cap = retain_cap_;
  while (ret_head_ != nullptr && retained_bytes_ - ret_head_->len >= cap) {
    Chunk* c = ret_head_;
    ret_head_ = c->next;
    retained_bytes_ -= c->len;
    mem_->Free(c);
  }
  if (ret_head_ == nullptr) ret_tail_ = nullptr;
}

void TcpStream::AppendRetained(Chunk* c) {
  if (ret_tail_ != nullptr && ret_tail_->end() != c->offset) FreeRetained();
  c->next = nullptr;
  if (ret_tail_ != nullptr) {
    ret_tail_->next = c;
  } else {
    ret_head_ = c;
  }
  ret_tail_ = c;
  retained_bytes_ += c->len;
  TrimRetained();
}

// Copies delivered bytes [offset_, offset_ + len) into the retained list.
void TcpStream::Retain(const uint8_t* data, uint32_t len) {
  if (retain_cap_ == 0 || len == 0) return;
  uint64_t off = offset_;
  if (ret_tail_ != nullptr && ret_tail_->end() != off) FreeRetained();
  if (len > retain_cap_) {  // only the last retain_cap_ bytes can matter
    FreeRetained();
    data += len - retain_cap_;
    off += len - retain_cap_;
    len = retain_cap_;
  }
  const uint32_t cs = mem_->chunk_size();
  while (len > 0) {
    Chunk* t = ret_tail_;
    uint32_t room = t != nullptr ? cs - t->start - t->len : 0;
    if (room == 0) {
      t = mem_->Alloc(ChunkUse::kRetain);
      if (t == nullptr) {  // pool nearly full: give up checking rather than starve OOO data
        FreeRetained();
        return;
      }
      t->offset = off;
      if (ret_tail_ != nullptr) {
        ret_tail_->next = t;
      } else {
        ret_head_ = t;
      }
      ret_tail_ = t;
      room = cs;
    }
    uint32_t k = std::min(room, len);
    std::memcpy(t->bytes() + t->len, data, k);
    t->len += k;
    retained_bytes_ += k;
    data += k;
    off += k;
    len -= k;
  }
  TrimRetained();
}

// True when bytes [start, start+len) (all before offset_) differ from the retained copy where
// the copy covers them.
bool TcpStream::CompareDelivered(uint64_t start, const uint8_t* data, uint64_t len) const {
  const uint64_t end = start + len;
  for (const Chunk* c = ret_head_; c != nullptr && c->offset < end; c = c->next) {
    uint64_t lo = std::max(start, c->offset);
    uint64_t hi = std::min(end, c->end());
    if (lo < hi && std::memcmp(c->bytes() + (lo - c->offset), data + (lo - start), hi - lo) != 0) {
      return true;
    }
  }
  return false;
}

// ---- delivery ----

void TcpStream::Emit(const StreamEnv& env, const uint8_t* data, uint32_t len) {
  env.sink.OnData(env.dir, {data, len}, offset_);
  env.Count(TcpCounter::kDeliveredBytes, len);
  Retain(data, len);
  offset_ += len;
  base_seq_ += len;
}

void TcpStream::DrainOoo(const StreamEnv& env) {
  while (ooo_head_ != nullptr && ooo_head_->offset == offset_) {
    Chunk* c = PopOooHead(env);
    env.sink.OnData(env.dir, {c->bytes(), c->len}, offset_);
    env.Count(TcpCounter::kDeliveredBytes, c->len);
    offset_ += c->len;
    base_seq_ += c->len;
    // The buffer already holds the delivered bytes: keep it as the retained copy.
    if (retain_cap_ > 0) {
      AppendRetained(c);
    } else {
      mem_->Free(c);
    }
  }
}

void TcpStream::DeliverInOrder(const StreamEnv& env, const uint8_t* data, uint32_t len) {
  const uint64_t end = offset_ + len;
  const bool first_wins = env.ctx.config->overlap_policy == OverlapPolicy::kFirst;
  bool overlap = false;
  bool diff = false;
  while (offset_ < end) {
    Chunk* h = ooo_head_;
    if (h != nullptr && h->offset <= offset_) {
      // Buffered bytes at the delivery point (h->offset == offset_): the policy picks the copy.
      uint32_t n = static_cast<uint32_t>(std::min(h->end(), end) - offset_);
      overlap = true;
      if (std::memcmp(h->bytes(), data, n) != 0) diff = true;
      Emit(env, first_wins ? h->bytes() : data, n);
      data += n;
      h->start += n;
      h->offset += n;
      h->len -= n;
      if (h->len == 0) mem_->Free(PopOooHead(env));
    } else {
      uint32_t n = static_cast<uint32_t>((h != nullptr ? std::min(h->offset, end) : end) - offset_);
      Emit(env, data, n);
      data += n;
    }
  }
  if (overlap) env.Count(TcpCounter::kOverlaps);
  if (diff) {
    env.Count(TcpCounter::kOverlapDiffData);
    env.Raise(StreamEvent::kReassemblyOverlapDifferentData);
  }
  DrainOoo(env);
}

void TcpStream::InsertOoo(const StreamEnv& env, uint64_t start, const uint8_t* data, uint32_t len) {
  const ReassemblyConfig& cfg = *env.ctx.config;
  const uint32_t cs = mem_->chunk_size();
  const uint64_t end = start + len;
  Chunk* prev = nullptr;
  Chunk* node = ooo_head_;
  if (ooo_tail_ != nullptr && ooo_tail_->end() <= start) {  // the common case: append
    prev = ooo_tail_;
    node = nullptr;
  } else {
    while (node != nullptr && node->end() <= start) {
      prev = node;
      node = node->next;
    }
  }
  uint64_t cur = start;
  bool overlap = false;
  bool diff = false;
  bool added = false;
  bool dropped = false;
  while (cur < end && !dropped) {
    const uint8_t* p = data + (cur - start);
    if (node != nullptr && node->offset <= cur) {
      uint32_t n = static_cast<uint32_t>(std::min(node->end(), end) - cur);
      uint8_t* old = node->bytes() + (cur - node->offset);
      overlap = true;
      if (std::memcmp(old, p, n) != 0) {
        diff = true;
        if (cfg.overlap_policy == OverlapPolicy::kLast) std::memcpy(old, p, n);
      }
      cur += n;
      if (cur >= node->end()) {
        prev = node;
        node = node->next;
      }
      continue;
    }
    // Bytes [cur, cur + n) are not buffered yet.
    uint64_t n = (node != nullptr ? std::min(node->offset, end) : end) - cur;
    if (prev != nullptr && prev->end() == cur) {  // pack into the previous buffer's free tail
      uint32_t k = static_cast<uint32_t>(std::min<uint64_t>(cs - prev->start - prev->len, n));
      if (k > 0) {
        std::memcpy(prev->bytes() + prev->len, p, k);
        prev->len += k;
        cur += k;
        p += k;
        n -= k;
        added = true;
      }
    }
    while (n > 0) {
      Chunk* c = nullptr;
      if (ooo_count_ >= cfg.max_ooo_segments) {
        env.Count(TcpCounter::kOooLimitDrops);
      } else if (env.session_ooo_bytes + cs > cfg.session_memcap) {
        env.Count(TcpCounter::kSessionMemcapDrops);
      } else if ((c = mem_->Alloc(ChunkUse::kOutOfOrder)) == nullptr) {
        env.Count(TcpCounter::kMemcapDrops);
      }
      if (c == nullptr) {  // the rest of the segment is dropped; it will surface as a gap
        dropped = true;
        break;
      }
      uint32_t k = static_cast<uint32_t>(std::min<uint64_t>(cs, n));
      c->offset = cur;
      c->len = k;
      std::memcpy(c->data, p, k);
      c->next = node;
      if (prev != nullptr) {
        prev->next = c;
      } else {
        ooo_head_ = c;
      }
      if (node == nullptr) ooo_tail_ = c;
      prev = c;
      ++ooo_count_;
      env.session_ooo_bytes += cs;
      cur += k;
      p += k;
      n -= k;
      added = true;
    }
  }
  if (added) env.Count(TcpCounter::kSegmentsOoo);
  if (overlap) env.Count(TcpCounter::kOverlaps);
  if (diff) {
    env.Count(TcpCounter::kOverlapDiffData);
    env.Raise(StreamEvent::kReassemblyOverlapDifferentData);
  }
}

void TcpStream::AddData(const StreamEnv& env, uint32_t seq, const uint8_t* data, uint32_t len) {
  if (!started_ || len == 0) return;
  int64_t s = ToOffset(seq);
  int64_t e = s + len;
  if (s < 0) {  // bytes before the stream's first byte (before the pickup point)
    if (e <= 0) {
      env.Count(TcpCounter::kRetransmissions);
      env.Raise(StreamEvent::kPktRetransmission);
      return;
    }
    data += -s;
    s = 0;
  }
  uint64_t us = static_cast<uint64_t>(s);
  uint64_t ue = static_cast<uint64_t>(e);
  if (fin_seen_ && ue > fin_off_) {
    env.Count(TcpCounter::kDataAfterFin);
    if (us >= fin_off_) return;
    ue = fin_off_;
  }
  max_end_ = std::max(max_end_, ue);
  if (us < offset_) {  // already delivered (or skipped): compare, count, keep the rest
    uint64_t old_end = std::min(ue, offset_);
    if (CompareDelivered(us, data, old_end - us)) {
      env.Count(TcpCounter::kOverlapDiffData);
      env.Raise(StreamEvent::kReassemblyOverlapDifferentData);
    }
    env.Count(TcpCounter::kRetransmissions);
    env.Raise(StreamEvent::kPktRetransmission);
    data += old_end - us;
    us = old_end;
    if (us == ue) return;
  }
  if (ended_) {
    if (depth_reached_) env.Count(TcpCounter::kStreamDepthBytes, ue - us);
    return;
  }
  const uint64_t depth = env.ctx.config->stream_depth;
  if (depth != 0 && ue > depth) {
    env.Count(TcpCounter::kStreamDepthBytes, ue - std::max(us, depth));
    if (us >= depth) return;
    ue = depth;
  }
  const uint32_t n = static_cast<uint32_t>(ue - us);
  if (us == offset_) {
    DeliverInOrder(env, data, n);
  } else {
    InsertOoo(env, us, data, n);
  }
  CheckDepth(env);
  MaybeEnd(env);
}

// ---- gaps and ends ----

void TcpStream::Gap(const StreamEnv& env, uint64_t len) {
  env.sink.OnGap(env.dir, offset_, len);
  env.Count(TcpCounter::kReassemblyGap);
  env.Count(TcpCounter::kGapBytes, len);
  env.Raise(StreamEvent::kReassemblySeqGap);
  offset_ += len;
  base_seq_ += static_cast<uint32_t>(len);
  FreeRetained();  // the retained copy must stay contiguous with the delivery point
}

void TcpStream::SkipTo(const StreamEnv& env, uint64_t limit) {
  const uint64_t depth = env.ctx.config->stream_depth;
  if (depth != 0) limit = std::min(limit, depth);
  while (offset_ < limit && !ended_) {
    uint64_t gap_end = ooo_head_ != nullptr ? std::min(ooo_head_->offset, limit) : limit;
    if (gap_end > offset_) Gap(env, gap_end - offset_);
    DrainOoo(env);
    CheckDepth(env);
  }
}

void TcpStream::CheckDepth(const StreamEnv& env) {
  const uint64_t depth = env.ctx.config->stream_depth;
  if (depth == 0 || depth_reached_ || offset_ < depth) return;
  depth_reached_ = true;
  env.Count(TcpCounter::kStreamDepthReached);
  End(env, EndReason::kDepth);
}

void TcpStream::End(const StreamEnv& env, EndReason reason) {
  if (ended_) return;
  ended_ = true;
  FreeOoo(&env.session_ooo_bytes);
  FreeRetained();
  env.sink.OnEnd(env.dir, reason);
}

void TcpStream::MaybeEnd(const StreamEnv& env) {
  if (!ended_ && fin_seen_ && offset_ >= fin_off_) End(env, EndReason::kFin);
}

void TcpStream::OnAck(const StreamEnv& env, int64_t ack_off) {
  if (!started_) return;
  if (!peer_ack_known_ || ack_off > peer_ack_off_) {
    peer_ack_known_ = true;
    peer_ack_off_ = ack_off;
  }
  if (ack_off <= 0) return;
  const uint64_t ack = static_cast<uint64_t>(ack_off);
  ReleaseRetained(ack);
  if (fin_seen_ && ack > fin_off_) fin_acked_ = true;
  if (ended_ || ack <= offset_) return;
  // The receiver has bytes we never saw: skip the holes up to the ACK (the FIN is not data).
  SkipTo(env, fin_seen_ ? std::min(ack, fin_off_) : ack);
  MaybeEnd(env);
}

void TcpStream::Flush(const StreamEnv& env, EndReason reason) {
  if (!started_ || ended_) return;
  uint64_t hi = fin_seen_ ? fin_off_ : max_end_;
  if (peer_ack_known_ && peer_ack_off_ > 0) {
    uint64_t ack = static_cast<uint64_t>(peer_ack_off_);
    if (fin_seen_) ack = std::min(ack, fin_off_);
    hi = std::max(hi, ack);
  }
  SkipTo(env, hi);
  End(env, reason);
}

}  // namespace vigil::sensor
