#include "sensor/defrag/chunk_pool.h"

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

ChunkPool::ChunkPool(size_t memcap) {
  size_t n = memcap / kBytesPerChunk;
  // Chain links are uint32 and kNone is reserved.
  capacity_ = static_cast<uint32_t>(std::min<size_t>(n, kNone - 1));
  chunks_.reserve(capacity_);
  next_.reserve(capacity_);
}

uint32_t ChunkPool::AllocChain(uint32_t n) {
  if (n == 0 || n > available()) return kNone;
  uint32_t head = kNone;
  // Take chunks one at a time and push each at the front, so the chain is built back to front.
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t c;
    if (free_head_ != kNone) {
      c = free_head_;
      free_head_ = next_[c];
    } else {
      // Below capacity_ by the check above, and capacity_ was reserved: no reallocation.
      c = static_cast<uint32_t>(chunks_.size());
      chunks_.emplace_back();
      next_.push_back(kNone);
    }
    next_[c] = head;
    head = c;
  }
  in_use_ += n;
  return head;
}

void ChunkPool::FreeChain(uint32_t head) {
  while (head != kNone) {
    uint32_t nx = next_[head];
    next_[head] = free_head_;
    free_head_ = head;
    --in_use_;
    head = nx;
  }
}

template <typename F>
bool ChunkPool::Visit(uint32_t head, size_t skip, size_t from, size_t len, F&& f) const {
  size_t pos = skip + from;
  uint32_t c = head;
  while (pos >= kChunkSize && c != kNone) {
    pos -= kChunkSize;
    c = next_[c];
  }
  while (len > 0 && c != kNone) {
    size_t n = std::min<size_t>(len, kChunkSize - pos);
    if (!f(chunks_[c].bytes + pos, n)) return false;
    len -= n;
    pos = 0;
    c = next_[c];
  }
  return true;
}

void ChunkPool::Write(uint32_t head, size_t skip, const uint8_t* src, size_t len) {
  Visit(head, skip, 0, len, [&](const unsigned char* p, size_t n) {
    // The chunks are this object's own non-const storage; Visit is shared with the const readers.
    std::memcpy(const_cast<unsigned char*>(p), src, n);
    src += n;
    return true;
  });
}

void ChunkPool::Read(uint32_t head, size_t skip, size_t from, uint8_t* dst, size_t len) const {
  Visit(head, skip, from, len, [&](const unsigned char* p, size_t n) {
    std::memcpy(dst, p, n);
    dst += n;
    return true;
  });
}

bool ChunkPool::Equal(uint32_t head, size_t skip, size_t from, const uint8_t* other,
                      size_t len) const {
  return Visit(head, skip, from, len, [&](const unsigned char* p, size_t n) {
    bool same = std::memcmp(p, other, n) == 0;
    other += n;
    return same;
  });
}

}  // namespace vigil::sensor
